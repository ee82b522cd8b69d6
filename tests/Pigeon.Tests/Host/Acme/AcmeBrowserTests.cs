using System;
using System.Net.Http;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OpenQA.Selenium;
using Pigeon.Host.Acme;
using Pigeon.Tests.Host.Portal;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Acme
{
    /// <summary>
    /// The status page's certificate box with ACME, in Debian's Chromium (like the portal's other
    /// browser tests): "Certificate for NAME, valid until DATE" with Pebble's intermediate as the
    /// signer once Pebble issued it, and in amber the CA's reason and the next try when it could
    /// not validate (screenshots 13 and 14).
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class AcmeBrowserTests
    {
        private const string AdminPassword = "correct horse battery";
        private const string Name = "relay.pigeon.test";

        [TestMethod]
        [DataRow(true)]
        [DataRow(false)]
        [Timeout(180000)]
        public void CertificateBox_AcmeOkOrFailed_SaysSoInWords(bool validates)
        {
            int tlsPort = Loopback.FreePort();
            int httpPort = Loopback.FreePort();
            using PebbleServer pebble = PebbleServer.Start(validates ? httpPort : Loopback.FreePort(), tlsPort);
            using PortalTestHost host = new PortalTestHost(tlsChat: true, tlsPort: tlsPort, networkFields: "\"publicHost\":\"" + Name + "\"",
                relayFields: "\"acme\":true,\"acmeDirectoryUrl\":\"" + pebble.DirectoryUrl + "\",\"acmeChallenge\":\"http-01\",\"httpPort\":" + httpPort + ",",
                beforeStart: app => app.Certificates.Acme.TrustedRoots = pebble.ApiTrust);
            AcmeService acme = host.App.Certificates.Acme;
            Assert.IsTrue(Loopback.WaitUntil(() => acme.State != AcmeService.StateWorking, 90000), "ACME still working: " + pebble.Log);
            using (HttpClient client = new HttpClient())
            {
                HttpResponseMessage r = client.PostAsync(host.BaseUrl + "api/admin-password", new StringContent("{\"password\":\"" + AdminPassword + "\"}", Encoding.UTF8, "application/json")).Result;
                Assert.AreEqual(200, (int)r.StatusCode);
            }

            using BrowserSession b = BrowserSession.Start();
            b.Driver.Navigate().GoToUrl(host.BaseUrl);
            b.WaitVisible("#view-login");
            b.Type("login-password", AdminPassword);
            b.Driver.FindElement(By.CssSelector("#form-login button[type=submit]")).Click();
            b.WaitVisible("#view-status");
            IWebElement line = b.WaitVisible("#cert-acme");
            b.Driver.ExecuteScript("document.getElementById('st-cert').scrollIntoView();");
            if (validates)
            {
                Assert.AreEqual(AcmeService.StateOk, acme.State, acme.Problem);
                StringAssert.StartsWith(line.Text, "Certificate for " + Name + ", valid until " + host.App.Tls.NotAfter.ToString("yyyy-MM-dd") + ". Pigeon renews it from ");
                Assert.AreEqual("note", line.GetAttribute("class"));
                Assert.AreEqual(Name, b.Driver.FindElement(By.Id("cert-name")).Text);
                StringAssert.StartsWith(b.Driver.FindElement(By.Id("cert-issuer")).Text, "Pebble Intermediate CA");
                StringAssert.StartsWith(b.Driver.FindElement(By.Id("cert-made")).Text, "a certificate authority, by ACME");
                Assert.IsFalse(b.Driver.FindElement(By.Id("cert-ask")).Displayed, "no \"New certificate\" for the CA's");
                b.Screenshot("14-certificate-from-acme");
            }
            else
            {
                Assert.AreEqual(AcmeService.StateFailed, acme.State);
                StringAssert.StartsWith(line.Text, "No certificate for " + Name + " yet: the CA could not validate " + Name + " by http-01");
                StringAssert.Contains(line.Text, "the self-signed one below is shown meanwhile");
                Assert.AreEqual("warn", line.GetAttribute("class"));
                Assert.AreEqual(host.App.Tls.Name, b.Driver.FindElement(By.Id("cert-name")).Text, "the self-signed one");
                Assert.IsTrue(b.Driver.FindElement(By.Id("cert-ask")).Displayed, "a made one can still be replaced");
                b.Screenshot("13-certificate-acme-failed");
            }

            b.AssertNoHorizontalScroll("certificate with ACME");
            b.AssertNoConsoleErrors("certificate with ACME");
        }
    }
}
