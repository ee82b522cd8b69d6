// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Config;
using Pigeon.Tests.Support;
using Pigeon.Text;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace Pigeon.Tests.Config
{
    [TestClass]
    public class ConfigPrimitivesTests
    {
        [TestMethod]
        public void Crc32_CheckValue_Cbf43926()
        {
            byte[] data = Bytes.Ascii("123456789");
            Assert.IsTrue(Crc32.Compute(data, 0, data.Length) == 0xCBF43926u);
        }

        [TestMethod]
        public void Utf8_RoundTrip_OneTwoThreeByteForms()
        {
            // (Four-byte forms: Host/Config/HostConfigTests; nanoCLR keeps strings as UTF-8 and
            // does not hand a surrogate pair back as two chars, so that case is host-only.)
            string text = "a\u00e9\u20acz";
            byte[] bytes = Utf8.GetBytes(text);
            Assert.AreEqual(1 + 2 + 3 + 1, bytes.Length);
            Assert.AreEqual(bytes.Length, Utf8.ByteCount(text));
            Assert.AreEqual(text, Utf8.Decode(bytes, 0, bytes.Length));
        }

        [TestMethod]
        [DataRow("C3")]
        [DataRow("C0 80")]
        [DataRow("E0 80 80")]
        [DataRow("ED B0 80")]
        [DataRow("F4 90 80 80")]
        [DataRow("80")]
        [DataRow("F8 88 80 80 80")]
        public void Utf8_Invalid_Refused(string hex)
        {
            byte[] bytes = Bytes.Hex(hex);
            Assert.IsNull(Utf8.Decode(bytes, 0, bytes.Length));
            Assert.AreEqual(0, Utf8.FindInvalid(bytes, 0, bytes.Length));
        }

        [TestMethod]
        public void Seal_OpenOwnSeal_Verified()
        {
            byte[] doc = Utf8.GetBytes("{\n  \"a\": 1\n}\n");
            byte[] sealedCopy = ConfigSeal.Seal(doc);
            byte[] back;
            Assert.AreEqual(ConfigSealResult.Verified, ConfigSeal.Open(sealedCopy, out back));
            Assert.AreEqual(Utf8.Decode(doc, 0, doc.Length), Utf8.Decode(back, 0, back.Length));
            string text = Utf8.Decode(sealedCopy, 0, sealedCopy.Length);
            Assert.IsTrue(text.IndexOf("\"checksum\": \"crc32:") > 0, text);
        }

        [TestMethod]
        public void Seal_PlainJson_Unsealed()
        {
            byte[] doc = Utf8.GetBytes(ConfigFixtures.Full);
            byte[] back;
            Assert.AreEqual(ConfigSealResult.Unsealed, ConfigSeal.Open(doc, out back));
        }

        [TestMethod]
        public void AdminPassword_SetVerify_WithTestHasher()
        {
            AdminConfig admin = new AdminConfig();
            TestPasswordHasher hasher = new TestPasswordHasher();
            Assert.IsFalse(AdminPassword.IsSet(admin));
            Assert.IsFalse(AdminPassword.Verify(admin, "anything", hasher));
            Assert.IsFalse(AdminPassword.Set(admin, "short", hasher));
            Assert.IsFalse(AdminPassword.IsSet(admin));
            Assert.IsTrue(AdminPassword.Set(admin, "pigeon-admin-1", hasher));
            Assert.IsTrue(AdminPassword.IsSet(admin));
            Assert.IsTrue(AdminPassword.IsWellFormed(admin));
            Assert.IsTrue(admin.PasswordHash.StartsWith("pbkdf2-sha256$3$"));
            Assert.AreEqual(-1, admin.PasswordHash.IndexOf("pigeon-admin-1"));
            Assert.IsTrue(AdminPassword.Verify(admin, "pigeon-admin-1", hasher));
            Assert.IsFalse(AdminPassword.Verify(admin, "pigeon-admin-2", hasher));
            Assert.IsFalse(AdminPassword.Verify(admin, null, hasher));
        }

        [TestMethod]
        public void AdminPassword_HugeIterationCount_RefusedUnhashed()
        {
            AdminConfig admin = new AdminConfig();
            admin.PasswordHash = "pbkdf2-sha256$999999999$+8HSgGgu4ZDUAsgF6YuVdVGlcwYngn5H+Ir4qxA6Y9k=";
            admin.PasswordSalt = "AQIDBAUGBwgJCgsMDQ4PEA==";
            TestPasswordHasher hasher = new TestPasswordHasher();
            Assert.IsFalse(AdminPassword.IsWellFormed(admin));
            Assert.IsFalse(AdminPassword.Verify(admin, "x", hasher));
            Assert.AreEqual(0, hasher.Calls);
        }

        [TestMethod]
        public void FixedTimeEquals_Cases()
        {
            Assert.IsTrue(FixedTime.Equal(new byte[] { 1, 2 }, new byte[] { 1, 2 }));
            Assert.IsFalse(FixedTime.Equal(new byte[] { 1, 2 }, new byte[] { 1, 3 }));
            Assert.IsFalse(FixedTime.Equal(new byte[] { 1, 2 }, new byte[] { 1 }));
            Assert.IsFalse(FixedTime.Equal(null, new byte[] { 1 }));
        }
    }
}
