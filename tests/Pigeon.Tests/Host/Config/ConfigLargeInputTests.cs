using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Tests.Config;
using Pigeon.Tests.Support;

namespace Pigeon.Tests.Host.Config
{
    /// <summary>
    /// Host-only: inputs too large to build in a board's ~100 KB heap (the shared tests refuse
    /// 8193 bytes; these a whole megabyte).
    /// </summary>
    [TestClass]
    public class ConfigLargeInputTests
    {
        [TestMethod]
        public void Read_OneMegabyte_RefusedUnread()
        {
            byte[] big = new byte[1024 * 1024];
            for (int i = 0; i < big.Length; i++)
            {
                big[i] = (byte)' ';
            }

            big[0] = (byte)'{';
            big[big.Length - 1] = (byte)'}';
            ValidationReport report = new ValidationReport();
            Assert.IsNull(ConfigDocument.Read(big, 0, big.Length, false, report));
            Assert.AreEqual(1, report.ErrorCount);
            Assert.IsTrue(report.GetError(0).Message.IndexOf("1048576 bytes") >= 0);
        }

        [TestMethod]
        public void Load_OneMegabytePrimary_RefusedFallsBack()
        {
            MemoryFileStore files = ConfigStoreTests.SavedTwice();
            byte[] big = new byte[1024 * 1024];
            for (int i = 0; i < big.Length; i++)
            {
                big[i] = (byte)'[';
            }

            files.Put("config.json", big);
            ConfigLoadResult result = new ConfigStore(files, true).Load();
            Assert.AreEqual(ConfigSource.Backup, result.Source);
            Assert.IsTrue(result.FallbackReason.IndexOf("8192") >= 0, result.FallbackReason);
        }
    }
}
