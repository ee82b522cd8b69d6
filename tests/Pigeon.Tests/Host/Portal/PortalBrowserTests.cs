using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OpenQA.Selenium;
using Pigeon.Tests.Host.Relay;
using ZXing;
using ZXing.Common;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// The portal page in a real browser (Debian's Chromium, headless, 390x844) against
    /// Pigeon.Host in-process. Screenshots: tests/Pigeon.Tests/bin/&lt;Configuration&gt;/net10.0/screenshots/.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class PortalBrowserTests
    {
        private const string AdminPassword = "correct horse battery";
        private const string EvilSsid = "<img src=x onerror=alert(1)>";

        private static string FakeWifi()
        {
            return "[{\"ssid\":\"Volunteer home\",\"rssi\":-47,\"secure\":true},"
                + "{\"ssid\":" + JsonSerializer.Serialize(EvilSsid) + ",\"rssi\":-60,\"secure\":false},"
                + "{\"ssid\":\"Weak one\",\"rssi\":-86,\"secure\":true}]";
        }

        [TestMethod]
        public void FirstRun_PhoneViewport_EndsWithSettingsOnDisk()
        {
            using PortalTestHost host = new PortalTestHost(fakeWifiJson: FakeWifi());
            using BrowserSession b = BrowserSession.Open(host.BaseUrl);

            // Step 1: admin password (a mismatch is caught first)
            b.WaitVisible("#view-setpw");
            b.Screenshot("01-first-visit-set-password");
            b.AssertNoHorizontalScroll("set password");
            b.Type("setpw-password", AdminPassword);
            b.Type("setpw-repeat", "something else");
            b.Driver.FindElement(By.CssSelector("#form-setpw button[type=submit]")).Click();
            b.WaitUntil(d => d.FindElement(By.CssSelector("#view-setpw [data-err=repeat]")).Text.Length > 0, "mismatch error");
            b.Type("setpw-repeat", AdminPassword);
            b.Driver.FindElement(By.CssSelector("#form-setpw button[type=submit]")).Click();

            // Step 2: Wi-Fi from the (labelled, fake) scan list
            b.WaitVisible("#view-wifi");
            b.WaitUntil(d => d.FindElements(By.CssSelector("#scan-list button")).Count == 3, "three scanned networks");
            Assert.IsTrue(b.Driver.FindElement(By.Id("scan-fake")).Displayed, "the fake scan list is labelled");
            b.Screenshot("02-wifi-scan-list");
            b.AssertNoHorizontalScroll("wifi");
            b.Driver.FindElements(By.CssSelector("#scan-list button"))[0].Click(); // strongest first
            Assert.AreEqual("Volunteer home", b.Driver.FindElement(By.Id("wifi-ssid")).GetAttribute("value"));
            b.Type("wifi-password", "home wifi pass");
            b.Driver.FindElement(By.CssSelector("#form-wifi button[type=submit]")).Click();

            // Step 3: relay ports, prefilled from the config; a bad port is reported by the field
            b.WaitVisible("#view-ports");
            string prefilled = b.Driver.FindElement(By.Id("ports-chat")).GetAttribute("value");
            Assert.IsTrue(prefilled.Length > 0, "chat ports prefilled");
            b.Type("ports-chat", "5222, 99999");
            b.Type("ports-media", "7777");
            b.Type("ports-host", "relay.example.org");
            b.Driver.FindElement(By.Id("ports-save")).Click();
            b.WaitUntil(d => d.FindElement(By.CssSelector("#view-ports [data-err='relay.chatPorts']")).Text.Contains("65535"), "port error next to the field");
            b.Screenshot("03-ports-validation-error");
            b.AssertNoHorizontalScroll("ports");
            b.Type("ports-chat", "5222, 443");
            b.Driver.FindElement(By.Id("ports-save")).Click();

            // Status with the share link; the board restarts to use the settings
            b.WaitVisible("#view-status");
            string link = "https://wa.me/proxy?host=relay.example.org&chatPort=5222&mediaPort=7777&chatTLS=false";
            b.WaitUntil(d => LinkTexts(d) == link, "share link shown");
            StringAssert.StartsWith(b.WaitVisible("#saved-note").Text, "Settings saved. The board restarts to use them");
            Assert.IsTrue(b.Driver.FindElement(By.Id("st-wifi")).Displayed, "a board shows its Wi-Fi");
            b.Screenshot("04-status-after-setup");
            b.AssertNoHorizontalScroll("status");
            b.AssertNoConsoleErrors("first run");

            // The file on disk holds the new settings
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(host.ConfigPath));
            JsonElement root = doc.RootElement;
            Assert.AreEqual("Volunteer home", root.GetProperty("wifi").GetProperty("ssid").GetString());
            Assert.AreEqual("home wifi pass", root.GetProperty("wifi").GetProperty("password").GetString());
            Assert.AreEqual("relay.example.org", root.GetProperty("network").GetProperty("publicHost").GetString());
            JsonElement routes = root.GetProperty("relay").GetProperty("routes");
            Assert.AreEqual(3, routes.GetArrayLength());
            Assert.AreEqual(5222, routes[0].GetProperty("listenPort").GetInt32());
            Assert.AreEqual(443, routes[1].GetProperty("listenPort").GetInt32());
            Assert.AreEqual(7777, routes[2].GetProperty("listenPort").GetInt32());
            Assert.IsTrue(routes[2].GetProperty("allowedSni").GetArrayLength() > 0, "media route keeps its SNI list");
            StringAssert.StartsWith(root.GetProperty("admin").GetProperty("passwordHash").GetString(), "pbkdf2-sha256$");
            Assert.IsFalse(File.ReadAllText(host.ConfigPath).Contains(AdminPassword), "the admin password is stored hashed only");
        }

        [TestMethod]
        public void FirstRun_Server_NoWifiAnywhere_TwoStepsAndHowToRestart()
        {
            using PortalTestHost host = new PortalTestHost();
            using BrowserSession b = BrowserSession.Open(host.BaseUrl);

            // Step 1 of 2: admin password, then straight to the ports: a server joins no Wi-Fi.
            IWebElement first = b.WaitVisible("#view-setpw");
            StringAssert.StartsWith(first.FindElement(By.TagName("h2")).Text, "Step 1 of 2: admin password");
            b.Type("setpw-password", AdminPassword);
            b.Type("setpw-repeat", AdminPassword);
            b.Driver.FindElement(By.CssSelector("#form-setpw button[type=submit]")).Click();
            IWebElement ports = b.WaitVisible("#view-ports");
            Assert.AreEqual("Step 2 of 2: relay ports", ports.FindElement(By.TagName("h2")).Text);
            Assert.IsFalse(b.Driver.FindElement(By.Id("view-wifi")).Displayed);
            AssertNoBoardText(b, "ports");
            b.Screenshot("13-server-first-run-ports");
            b.AssertNoHorizontalScroll("server ports");
            b.Type("ports-host", "relay.example.org");
            b.Driver.FindElement(By.Id("ports-save")).Click();

            // Status: how the settings take effect; no Wi-Fi figure.
            b.WaitVisible("#view-status");
            string note = b.WaitVisible("#saved-note").Text;
            StringAssert.Contains(note, "They take effect when the relay restarts: sudo systemctl restart pigeon");
            Assert.IsFalse(b.Driver.FindElement(By.Id("st-wifi")).Displayed);
            AssertNoBoardText(b, "status");
            b.Screenshot("14-server-status-after-setup");

            // Settings: no Wi-Fi fields; a save leaves the config's Wi-Fi alone.
            b.Driver.FindElement(By.Id("to-settings")).Click();
            b.WaitVisible("#view-settings");
            Assert.IsFalse(b.Driver.FindElement(By.Id("set-ssid")).Displayed);
            AssertNoBoardText(b, "settings");
            b.Type("set-media", "7777, 587");
            b.Driver.FindElement(By.CssSelector("#form-settings button[type=submit]")).Click();
            b.WaitVisible("#view-status");
            b.AssertNoConsoleErrors("server first run");
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(host.ConfigPath));
            Assert.AreEqual("", doc.RootElement.GetProperty("wifi").GetProperty("ssid").GetString());
            Assert.AreEqual("relay.example.org", doc.RootElement.GetProperty("network").GetProperty("publicHost").GetString());

            // The API has no made-up networks for a server either.
            Assert.IsFalse(host.Portal.Backend.HasWifi);
            Assert.AreEqual(0, host.Portal.Backend.ScanWifi(new Pigeon.Portal.WifiNetwork[24]));
        }

        // What a server's page must never show: a Wi-Fi step, field or figure, made-up networks.
        private static void AssertNoBoardText(BrowserSession b, string where)
        {
            string shown = b.Driver.FindElement(By.TagName("body")).Text;
            Assert.IsFalse(shown.Contains("Wi-Fi"), where + ": " + shown);
            Assert.IsFalse(shown.Contains("Sample"), where + ": " + shown);
            Assert.IsFalse(shown.Contains("board"), where + ": " + shown);
        }

        [TestMethod]
        public void WifiScan_MarkupSsid_IsShownAsTextAndRunsNothing()
        {
            using PortalTestHost host = new PortalTestHost(fakeWifiJson: FakeWifi());
            using BrowserSession b = BrowserSession.Open(host.BaseUrl);
            b.WaitVisible("#view-setpw");
            b.Driver.ExecuteScript("window.__alerts = 0; window.alert = function () { window.__alerts++; };");
            b.Type("setpw-password", AdminPassword);
            b.Type("setpw-repeat", AdminPassword);
            b.Driver.FindElement(By.CssSelector("#form-setpw button[type=submit]")).Click();
            b.WaitUntil(d => d.FindElements(By.CssSelector("#scan-list button")).Count == 3, "three scanned networks");
            System.Threading.Thread.Sleep(500); // give an injected onerror the time to fire
            b.Screenshot("05-markup-ssid-as-text");

            IWebElement evil = b.Driver.FindElements(By.CssSelector("#scan-list .ssid"))[1];
            Assert.AreEqual(EvilSsid, evil.Text.Trim(), "the SSID is shown literally");
            Assert.AreEqual(0L, Convert.ToInt64(b.Driver.ExecuteScript("return document.querySelectorAll('img').length;")), "no element was made from the SSID");
            Assert.AreEqual(0L, Convert.ToInt64(b.Driver.ExecuteScript("return window.__alerts;")), "no script ran");
            b.Driver.FindElements(By.CssSelector("#scan-list button"))[1].Click();
            Assert.AreEqual(EvilSsid, b.Driver.FindElement(By.Id("wifi-ssid")).GetAttribute("value"));
            Assert.AreEqual(0L, Convert.ToInt64(b.Driver.ExecuteScript("return document.querySelectorAll('img').length;")));
        }

        [TestMethod]
        public void Login_WrongPassword_IsRefusedThenRightOneShowsStatusWithDecodableQr()
        {
            using PortalTestHost host = new PortalTestHost();
            SetPasswordAndPublicHost(host);
            using BrowserSession b = BrowserSession.Open(host.BaseUrl);

            b.WaitVisible("#view-login");
            b.Type("login-password", "not the password");
            b.Driver.FindElement(By.CssSelector("#form-login button[type=submit]")).Click();
            b.WaitUntil(d => d.FindElement(By.Id("login-error")).Text == "Wrong password.", "wrong password refused");
            Assert.IsTrue(b.Driver.FindElement(By.Id("view-login")).Displayed);
            Assert.IsFalse(b.Driver.FindElement(By.Id("view-status")).Displayed);
            b.Screenshot("06-wrong-password");
            b.AssertNoHorizontalScroll("login");

            b.Type("login-password", AdminPassword);
            b.Driver.FindElement(By.CssSelector("#form-login button[type=submit]")).Click();
            b.WaitVisible("#view-status");
            string link = "https://wa.me/proxy?host=relay.example.org&chatPort=" + ChatPort(host) + "&mediaPort=" + MediaPort(host) + "&chatTLS=false";
            b.WaitUntil(d => LinkTexts(d) == link, "share link");
            IWebElement choice = b.Driver.FindElement(By.CssSelector("#st-links .choice"));
            Assert.AreEqual(link, choice.FindElement(By.CssSelector("a.link")).GetAttribute("href"));
            string hand = choice.Text;
            StringAssert.Contains(hand, "Proxy host: relay.example.org");
            StringAssert.Contains(hand, "TLS: off");
            Assert.IsFalse(hand.Contains("First choice"), "one link: no choices to rank");
            b.WaitUntil(d => ((IJavaScriptExecutor)d).ExecuteScript("return document.querySelector('#st-links canvas').getAttribute('data-text');") as string == link, "QR drawn");
            b.Screenshot("07-status-share-link-and-qr");
            b.AssertNoHorizontalScroll("status");

            // Read the canvas pixels and decode them: the QR must carry exactly the link.
            Assert.AreEqual(link, DecodeQr(b, choice.FindElement(By.TagName("canvas"))));
        }

        [TestMethod]
        public void Status_TlsAndPlainLinks_InOrderWithQr_CertificateAndItsRenewal()
        {
            using PortalTestHost host = new PortalTestHost(tlsChat: true);
            SetPasswordAndPublicHost(host);
            // A phone with TLS on at the plain chat port, and a prober's web request inside TLS.
            RefuseTlsOnPlainPort(host.ChatPort);
            Probe(host.TlsPort);
            using BrowserSession b = BrowserSession.Start();
            LogIn(b, host);

            string tls = "https://wa.me/proxy?host=relay.example.org&chatPort=" + host.TlsPort + "&mediaPort=" + host.MediaPort + "&chatTLS=true";
            string plain = "https://wa.me/proxy?host=relay.example.org&chatPort=" + host.ChatPort + "&mediaPort=" + host.MediaPort + "&chatTLS=false";
            b.WaitUntil(d => LinkTexts(d) == tls + " " + plain, "both links, TLS first");
            var choices = b.Driver.FindElements(By.CssSelector("#st-links .choice"));
            Assert.AreEqual("on", choices[0].GetAttribute("data-tls"));
            StringAssert.StartsWith(choices[0].FindElement(By.TagName("h4")).Text, "First choice: chat port " + host.TlsPort + ", TLS on");
            StringAssert.Contains(choices[0].Text, "ordinary secure website (HTTPS)");
            StringAssert.Contains(choices[0].Text, "Proxy host: relay.example.org");
            StringAssert.Contains(choices[0].Text, "Chat port: " + host.TlsPort + " · Media port: " + host.MediaPort);
            StringAssert.Contains(choices[0].Text, "TLS: on");
            Assert.AreEqual("off", choices[1].GetAttribute("data-tls"));
            StringAssert.StartsWith(choices[1].FindElement(By.TagName("h4")).Text, "Second choice: chat port " + host.ChatPort + ", TLS off");
            StringAssert.Contains(choices[1].Text, "when the first does not connect");
            StringAssert.Contains(choices[1].Text, "Chat port: " + host.ChatPort + " · Media port: " + host.MediaPort);
            StringAssert.Contains(choices[1].Text, "TLS: off");
            b.WaitUntil(d => ((IJavaScriptExecutor)d).ExecuteScript("return document.querySelectorAll('#st-links canvas[data-text]').length;") is long n && n == 2, "both QR codes drawn");
            Assert.AreEqual(tls, DecodeQr(b, choices[0].FindElement(By.TagName("canvas"))));
            Assert.AreEqual(plain, DecodeQr(b, choices[1].FindElement(By.TagName("canvas"))));

            // The refusals, in words, and the hint for TLS on the plain port points to the TLS link.
            b.WaitUntil(d => d.FindElement(By.Id("st-refusals")).Text.Contains("web request on the TLS port"), "probe counted");
            string refusals = b.Driver.FindElement(By.Id("st-refusals")).Text;
            StringAssert.Contains(refusals, "TLS on (app setting) on a TLS-off chat port: 1");
            StringAssert.Contains(refusals, "web request on the TLS port (answered with a plain page): 1");
            string hint = b.WaitVisible("#st-tls").Text;
            StringAssert.Contains(hint, "chat port that takes TLS off (" + host.ChatPort + ")");
            StringAssert.Contains(hint, "first link (TLS on, chat port " + host.TlsPort + ")");

            // The certificate: name, fingerprint as openssl prints it, expiry.
            b.WaitVisible("#st-cert");
            Assert.AreEqual(host.App.Tls.Name, b.Driver.FindElement(By.Id("cert-name")).Text);
            Assert.AreEqual(Colons(host.App.Tls.Fingerprint), b.Driver.FindElement(By.Id("cert-sha")).Text);
            StringAssert.StartsWith(b.Driver.FindElement(By.Id("cert-until")).Text, host.App.Tls.Certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd") + " (");
            b.Driver.ExecuteScript("document.getElementById('st-links').scrollIntoView();");
            b.Screenshot("11-status-tls-and-plain-links");
            b.AssertNoHorizontalScroll("two links");

            // New certificate: nothing before the confirmation, Cancel changes nothing.
            string first = host.App.Tls.Fingerprint;
            b.Driver.ExecuteScript("document.getElementById('st-cert').scrollIntoView();");
            b.Driver.FindElement(By.Id("cert-ask")).Click();
            IWebElement confirm = b.WaitVisible("#cert-confirm");
            StringAssert.Contains(confirm.Text, "WhatsApp does not pin the certificate");
            b.Screenshot("12-new-certificate-confirmation");
            b.AssertNoHorizontalScroll("certificate");
            b.Driver.FindElement(By.Id("cert-no")).Click();
            Assert.IsFalse(confirm.Displayed);
            Assert.AreEqual(first, host.App.Tls.Fingerprint, "cancel makes nothing");
            b.Driver.FindElement(By.Id("cert-ask")).Click();
            b.WaitVisible("#cert-confirm");
            b.Driver.FindElement(By.Id("cert-yes")).Click();
            b.WaitVisible("#cert-done");
            Assert.AreNotEqual(first, host.App.Tls.Fingerprint, "a new certificate");
            b.WaitUntil(d => d.FindElement(By.Id("cert-sha")).Text == Colons(host.App.Tls.Fingerprint), "the page shows the new fingerprint");
            Assert.AreEqual(host.App.Tls.Name, b.Driver.FindElement(By.Id("cert-name")).Text);
            b.AssertNoConsoleErrors("two links and the certificate");
        }

        /// <summary>Opens the page and logs in; the status view is showing.</summary>
        private static void LogIn(BrowserSession b, PortalTestHost host)
        {
            b.Driver.Navigate().GoToUrl(host.BaseUrl);
            b.WaitVisible("#view-login");
            b.Type("login-password", AdminPassword);
            b.Driver.FindElement(By.CssSelector("#form-login button[type=submit]")).Click();
            b.WaitVisible("#view-status");
        }

        /// <summary>The share links on the page, in order, separated by spaces.</summary>
        private static string LinkTexts(IWebDriver d)
        {
            return string.Join(" ", d.FindElements(By.CssSelector("#st-links .choice a.link")).Select(a => a.Text));
        }

        private static string Colons(string hex)
        {
            return string.Join(":", Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2).ToUpperInvariant()));
        }

        /// <summary>Reads a canvas's pixels and decodes the QR code in them (ZXing).</summary>
        private static string DecodeQr(BrowserSession b, IWebElement canvas)
        {
            string base64 = (string)b.Driver.ExecuteScript(
                "var c = arguments[0]; var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "var s = ''; for (var i = 0; i < d.length; i++) { s += String.fromCharCode(d[i]); } return c.width + ':' + btoa(s);", canvas);
            int colon = base64.IndexOf(':');
            int width = int.Parse(base64.Substring(0, colon));
            byte[] rgba = Convert.FromBase64String(base64.Substring(colon + 1));
            RGBLuminanceSource source = new RGBLuminanceSource(rgba, width, rgba.Length / 4 / width, RGBLuminanceSource.BitmapFormat.RGBA32);
            Result result = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                new System.Collections.Generic.Dictionary<DecodeHintType, object> { { DecodeHintType.POSSIBLE_FORMATS, new[] { BarcodeFormat.QR_CODE } }, { DecodeHintType.TRY_HARDER, true } });
            Assert.IsNotNull(result, "the QR code did not decode");
            return result.Text;
        }

        // A WhatsApp app with "use TLS" on at a plain chat port: refused (tlsOnChatPort).
        private static void RefuseTlsOnPlainPort(int port)
        {
            using Socket raw = Loopback.Client(port);
            try
            {
                using SslStream client = LoopbackRig.TlsClient(raw, "g.whatsapp.net");
                Assert.Fail("a plain chat port finished a TLS handshake");
            }
            catch (Exception e) when (e is IOException || e is AuthenticationException)
            {
                // refused: what the count is for
            }
        }

        // A prober's web request inside TLS: answered with the decoy page (probe), never relayed.
        private static void Probe(int port)
        {
            using Socket raw = Loopback.Client(port);
            using SslStream client = LoopbackRig.TlsClient(raw, "example.org");
            client.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"));
            using StreamReader reader = new StreamReader(client, Encoding.ASCII);
            StringAssert.StartsWith(reader.ReadLine(), "HTTP/1.1 ");
        }

        [TestMethod]
        public void FactoryReset_AfterConfirmation_ReturnsToFirstRun()
        {
            using PortalTestHost host = new PortalTestHost();
            SetPasswordAndPublicHost(host);
            using BrowserSession b = BrowserSession.Start();
            LogIn(b, host);
            b.Driver.FindElement(By.Id("to-settings")).Click();
            b.WaitVisible("#view-settings");
            Assert.AreEqual("relay.example.org", b.Driver.FindElement(By.Id("set-host")).GetAttribute("value"));
            b.AssertNoHorizontalScroll("settings");
            b.Driver.FindElement(By.Id("reset-ask")).Click();
            b.WaitVisible("#reset-confirm");
            Assert.IsTrue(File.Exists(host.ConfigPath), "nothing erased before the confirmation");
            b.Screenshot("08-factory-reset-confirmation");
            b.Driver.FindElement(By.Id("reset-yes")).Click();
            b.WaitVisible("#view-setpw");
            // The config store's factory reset leaves a fresh default config and no backup (docs/config.md).
            string afterReset = File.ReadAllText(host.ConfigPath);
            Assert.IsFalse(afterReset.Contains("relay.example.org"), "the settings are gone");
            Assert.IsTrue(afterReset.Contains("\"passwordHash\": \"\""), "no admin password");
            Assert.IsFalse(File.Exists(host.ConfigPath + ".bak"), "no backup of the old settings");
        }

        [TestMethod]
        public void Status_ReachStatus_ShowsMappingsAddressUpstreamsAsText()
        {
            const string Refusal = "the router refused: <img src=x onerror=alert(1)> UPnP is off";
            string reach = "{\"portMapping\":{\"enabled\":true,\"router\":\"UPnP router at 192.168.1.1\",\"ports\":["
                + "{\"port\":5222,\"externalPort\":5222,\"state\":\"mapped\",\"method\":\"upnp\",\"leaseSeconds\":3600,\"expiresInSeconds\":3540,\"message\":\"mapped by UPnP\"},"
                + "{\"port\":7777,\"externalPort\":7777,\"state\":\"failed\",\"method\":\"upnp\",\"leaseSeconds\":3600,\"expiresInSeconds\":null,\"message\":" + JsonSerializer.Serialize(Refusal) + "}]},"
                + "\"publicAddress\":{\"address\":\"100.64.12.34\",\"kind\":\"cgnat\",\"reachable\":false,"
                + "\"note\":\"Your internet provider shares one public address among many customers (carrier-grade NAT, 100.64.0.0/10). The relay cannot be reached from outside on this connection.\"},"
                + "\"shareHost\":null,\"dynDns\":{\"result\":\"badauth\",\"message\":\"the dynamic DNS service refused the user name or password\",\"lastUpdateSecondsAgo\":95},"
                + "\"upstreams\":[{\"route\":\"chat-5222\",\"role\":\"primary\",\"host\":\"g.whatsapp.net\",\"port\":5222,\"state\":\"down\",\"connectMs\":null,\"checkedSecondsAgo\":20,\"message\":\"connection timed out\"},"
                + "{\"route\":\"chat-5222\",\"role\":\"fallback\",\"host\":\"e1.whatsapp.net\",\"port\":5222,\"state\":\"up\",\"connectMs\":41,\"checkedSecondsAgo\":20,\"message\":\"reachable in 41 ms\"}]}";
            using PortalTestHost host = new PortalTestHost();
            host.Portal.Api.Reach = new Pigeon.Tests.Portal.FakeReachStatus(reach, null);
            SetPasswordAndPublicHost(host, null);
            using BrowserSession b = BrowserSession.Open(host.BaseUrl);
            b.WaitVisible("#view-login");
            b.Driver.ExecuteScript("window.__alerts = 0; window.alert = function () { window.__alerts++; };");
            b.Type("login-password", AdminPassword);
            b.Driver.FindElement(By.CssSelector("#form-login button[type=submit]")).Click();
            b.WaitVisible("#rc");
            System.Threading.Thread.Sleep(500); // give an injected onerror the time to fire

            string ports = b.Driver.FindElement(By.Id("rc-ports")).Text;
            StringAssert.Contains(ports, "5222 by UPnP until ");
            StringAssert.Contains(ports, "7777: " + Refusal);
            StringAssert.Contains(b.Driver.FindElement(By.Id("rc-addr")).Text, "100.64.12.34 (CGNAT: shared by the provider)");
            IWebElement note = b.Driver.FindElement(By.Id("rc-note"));
            StringAssert.Contains(note.Text, "carrier-grade NAT");
            Assert.AreEqual("warn", note.GetAttribute("class"), "an unreachable address is a warning");
            StringAssert.Contains(b.Driver.FindElement(By.Id("rc-router")).Text, "UPnP router at 192.168.1.1");
            StringAssert.Contains(b.Driver.FindElement(By.Id("rc-dyn")).Text, "refused the user name or password (1 min ago)");
            string ups = b.Driver.FindElement(By.Id("rc-up")).Text;
            StringAssert.Contains(ups, "chat-5222: g.whatsapp.net:5222, connection timed out");
            StringAssert.Contains(ups, "chat-5222 fallback: e1.whatsapp.net:5222, 41 ms (tried first)");
            Assert.AreEqual(2L, Convert.ToInt64(b.Driver.ExecuteScript("return document.querySelectorAll('#rc .st.bad').length;")), "the failed port and the down upstream are marked");
            // No public address and no configured host: the share link is the guessed local address, marked as such.
            StringAssert.Contains(b.Driver.FindElement(By.Id("st-hostnote")).Text, "Guessed address");
            Assert.AreEqual(0L, Convert.ToInt64(b.Driver.ExecuteScript("return document.querySelectorAll('img').length;")), "no element was made from the router's text");
            Assert.AreEqual(0L, Convert.ToInt64(b.Driver.ExecuteScript("return window.__alerts;")), "no script ran");
            b.Driver.ExecuteScript("document.getElementById('rc-h').scrollIntoView();");
            b.Screenshot("09-status-reachability");
            b.AssertNoHorizontalScroll("reachability");
            b.AssertNoConsoleErrors("reachability");
        }

        [TestMethod]
        public void Status_Last24hLine_AndPlainHttpWarningOnlyWhenOpenedBeyondLoopback()
        {
            using PortalTestHost host = new PortalTestHost();
            SetPasswordAndPublicHost(host);
            using (BrowserSession b = BrowserSession.Start())
            {
                b.Driver.Navigate().GoToUrl(host.BaseUrl); // 127.0.0.1: this machine, or an SSH tunnel to it
                b.WaitVisible("#view-login");
                Assert.IsFalse(b.Driver.FindElement(By.Id("plain-http")).Displayed, "no warning on loopback");
                b.Type("login-password", AdminPassword);
                b.Driver.FindElement(By.CssSelector("#form-login button[type=submit]")).Click();
                b.WaitVisible("#st-day");
                Assert.AreEqual("last 24 h: 0 sessions served, 0.0 MB relayed, 0 refused", b.Driver.FindElement(By.Id("st-day")).Text);
                b.AssertNoHorizontalScroll("status with the 24-hour line");
            }

            // The same page under a name that is not loopback (Chromium maps it to 127.0.0.1):
            // what a visitor over the network sees.
            using (BrowserSession b = BrowserSession.Start("--host-resolver-rules=MAP pigeon.test 127.0.0.1"))
            {
                b.Driver.Navigate().GoToUrl("http://pigeon.test:" + host.PortalPort + "/");
                b.WaitVisible("#view-login");
                IWebElement warning = b.WaitVisible("#plain-http");
                StringAssert.Contains(warning.Text, "This page is plain HTTP");
                StringAssert.Contains(warning.Text, "SSH tunnel");
                b.Screenshot("10-plain-http-warning");
                b.AssertNoHorizontalScroll("plain-HTTP warning");
                b.AssertNoConsoleErrors("plain-HTTP warning");
            }
        }

        private static int ChatPort(PortalTestHost host)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(host.ConfigPath));
            return doc.RootElement.GetProperty("relay").GetProperty("routes")[0].GetProperty("listenPort").GetInt32();
        }

        private static int MediaPort(PortalTestHost host)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(host.ConfigPath));
            return doc.RootElement.GetProperty("relay").GetProperty("routes")[1].GetProperty("listenPort").GetInt32();
        }

        /// <summary>Sets the admin password and a public host through the API (what a first run leaves behind).</summary>
        private static void SetPasswordAndPublicHost(PortalTestHost host, string publicHost = "relay.example.org")
        {
            using HttpClient client = new HttpClient(new HttpClientHandler { UseCookies = true });
            HttpResponseMessage r = client.PostAsync(host.BaseUrl + "api/admin-password",
                new StringContent("{\"password\":\"" + AdminPassword + "\"}", Encoding.UTF8, "application/json")).Result;
            Assert.AreEqual(200, (int)r.StatusCode);
            if (publicHost == null)
            {
                return;
            }

            string csrf = JsonDocument.Parse(r.Content.ReadAsStringAsync().Result).RootElement.GetProperty("csrf").GetString();
            HttpRequestMessage save = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "api/config")
            {
                Content = new StringContent("{\"network\":{\"publicHost\":\"relay.example.org\"}}", Encoding.UTF8, "application/json"),
            };
            save.Headers.Add("X-CSRF-Token", csrf);
            Assert.AreEqual(200, (int)client.Send(save).StatusCode);
        }
    }
}
