using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Json;
using Pigeon.Portal;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// Host-only (TlsStatusWriter.Host.cs: a board terminates no TLS): the "tls" object from a
    /// <see cref="TlsStatus"/>, where the certificate comes from, ACME's state and reason.
    /// </summary>
    [TestClass]
    public class TlsStatusWriterTests
    {
        [TestMethod]
        public void Write_AcmeFailed_SourceIssuerStateErrorAndNextTry()
        {
            TlsStatus status = new TlsStatus();
            status.Name = "kq7vhzmt.net";
            status.Sha256 = "3f0a";
            status.NotBefore = new DateTime(2026, 3, 2, 10, 4, 11);
            status.NotAfter = new DateTime(2027, 3, 20, 9, 5, 7);
            status.Made = true;
            status.Source = "made";
            status.Issuer = "kq7vhzmt.net";
            status.AcmeName = "relay.example.org";
            status.AcmeState = "failed";
            status.AcmeProblem = "the CA could not validate relay.example.org by http-01: connection refused";
            status.AcmeNextAttempt = new DateTime(2026, 12, 7, 3, 19, 0);
            JsonWriter json = new JsonWriter(512);
            TlsStatusWriter.Write(json, status);
            Assert.AreEqual("{\"name\":\"kq7vhzmt.net\",\"sha256\":\"3f0a\",\"notBefore\":\"2026-03-02T10:04:11Z\",\"notAfter\":\"2027-03-20T09:05:07Z\",\"made\":true,"
                + "\"source\":\"made\",\"issuer\":\"kq7vhzmt.net\",\"acme\":{\"name\":\"relay.example.org\",\"state\":\"failed\","
                + "\"error\":\"the CA could not validate relay.example.org by http-01: connection refused\",\"nextAttempt\":\"2026-12-07T03:19:00Z\"}}", json.ToString());
        }

        [TestMethod]
        public void Write_FilesWithARefusedChange_ProblemAndNoAcme()
        {
            TlsStatus status = new TlsStatus();
            status.Name = "relay.example.org";
            status.Sha256 = "ab";
            status.Source = "files";
            status.Issuer = "R11";
            status.Problem = "the new files were not taken (the key does not belong to the certificate in the file)";
            JsonWriter json = new JsonWriter(512);
            TlsStatusWriter.Write(json, status);
            JsonError error;
            byte[] bytes = json.ToUtf8();
            JsonNode tls = JsonReader.Parse(bytes, 0, bytes.Length, 4, out error);
            Assert.AreEqual("files", tls.Get("source").Text);
            Assert.AreEqual(status.Problem, tls.Get("problem").Text);
            Assert.IsNull(tls.Get("acme"));
            Assert.IsFalse(tls.Get("made").IsTrue);
        }
    }
}
