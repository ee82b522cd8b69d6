using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Tests.Host.Portal;
using Pigeon.Tests.Host.Relay;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Acme
{
    /// <summary>
    /// Pebble, the ACME test server Debian packages (`apt-get install pebble`,
    /// .ci/install.d/25-pebble.sh), on 127.0.0.1 for one test: its API over HTTPS with a
    /// certificate this class makes (the Debian package ships no test certificate; this one is the
    /// "test CA" the client trusts), pebble-challtestsrv as its DNS server answering 127.0.0.1 for
    /// every name (no AAAA), and the validation ports the test's relay listens on. PEBBLE_VA_NOSLEEP
    /// (no random waits before validating), PEBBLE_AUTHZREUSE=0 (a renewal is validated again) and
    /// PEBBLE_WFE_NONCEREJECT=20 (a fifth of good nonces refused as badNonce, which the client
    /// must retry). Missing Pebble: Inconclusive locally, a failure when CI=true.
    /// </summary>
    internal sealed class PebbleServer : IDisposable
    {
        public const string PebblePath = "/usr/bin/pebble";
        public const string ChallengeServerPath = "/usr/bin/pebble-challtestsrv";

        private readonly string _folder;
        private Process _pebble;
        private Process _dns;
        private int _managementPort;

        private PebbleServer(int httpPort, int tlsPort)
        {
            HttpPort = httpPort;
            TlsPort = tlsPort;
            _folder = TestFolder.Create();
        }

        /// <summary>The port Pebble validates HTTP-01 on.</summary>
        public int HttpPort { get; }

        /// <summary>The port Pebble validates TLS-ALPN-01 on.</summary>
        public int TlsPort { get; }

        /// <summary>https://127.0.0.1:PORT/dir.</summary>
        public string DirectoryUrl { get; private set; }

        /// <summary>The certificate of Pebble's API (to trust as a root when talking to it).</summary>
        public X509Certificate2Collection ApiTrust { get; } = new X509Certificate2Collection();

        /// <summary>What Pebble printed.</summary>
        public string Log => File.Exists(Path.Combine(_folder, "pebble.log")) ? File.ReadAllText(Path.Combine(_folder, "pebble.log")) : string.Empty;

        public static PebbleServer Start(int httpPort, int tlsPort)
        {
            if (!File.Exists(PebblePath) || !File.Exists(ChallengeServerPath))
            {
                string why = "Pebble is not installed (" + PebblePath + "): apt-get install pebble, see .ci/install.d/25-pebble.sh";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail(why);
                }

                Assert.Inconclusive(why);
            }

            PebbleServer server = new PebbleServer(httpPort, tlsPort);
            try
            {
                server.Run();
            }
            catch
            {
                server.Dispose();
                throw;
            }

            return server;
        }

        /// <summary>Pebble's current root (its management API makes a new one per run).</summary>
        public X509Certificate2 Root()
        {
            using HttpClient http = Client();
            string pem = http.GetStringAsync("https://127.0.0.1:" + _managementPort + "/roots/0").GetAwaiter().GetResult();
            return X509Certificate2.CreateFromPem(pem);
        }

        public void Dispose()
        {
            foreach (Process p in new[] { _pebble, _dns })
            {
                if (p != null && !p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(5000);
                }

                p?.Dispose();
            }

            _pebble = null;
            _dns = null;

            try
            {
                Directory.Delete(_folder, true);
            }
            catch (IOException)
            {
                // left for the OS
            }
        }

        private void Run()
        {
            using (X509Certificate2 api = TestCertificates.SelfSigned("pebble test api", new[] { "127.0.0.1", "localhost" }, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2), false))
            {
                File.WriteAllText(Path.Combine(_folder, "api.pem"), api.ExportCertificatePem());
                File.WriteAllText(Path.Combine(_folder, "api-key.pem"), TestCertificates.KeyPem(api));
                ApiTrust.Add(X509CertificateLoader.LoadCertificate(api.RawData));
            }

            int apiPort = Loopback.FreePort();
            _managementPort = Loopback.FreePort();
            int dnsPort = Loopback.FreeUdpPort();
            int dnsManagement = Loopback.FreePort();
            File.WriteAllText(Path.Combine(_folder, "pebble.json"),
                "{\"pebble\":{\"listenAddress\":\"127.0.0.1:" + apiPort + "\",\"managementListenAddress\":\"127.0.0.1:" + _managementPort + "\","
                + "\"certificate\":\"" + Path.Combine(_folder, "api.pem") + "\",\"privateKey\":\"" + Path.Combine(_folder, "api-key.pem") + "\","
                + "\"httpPort\":" + HttpPort + ",\"tlsPort\":" + TlsPort + ",\"ocspResponderURL\":\"\",\"externalAccountBindingRequired\":false}}");

            ProcessStartInfo dns = new ProcessStartInfo(ChallengeServerPath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[] { "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + dnsManagement })
            {
                dns.ArgumentList.Add(arg);
            }

            _dns = Process.Start(dns);
            _dns.OutputDataReceived += (_, _) => { };
            _dns.ErrorDataReceived += (_, _) => { };
            _dns.BeginOutputReadLine();
            _dns.BeginErrorReadLine();

            ProcessStartInfo pebble = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            pebble.ArgumentList.Add("-c");
            pebble.ArgumentList.Add("exec " + PebblePath + " -config '" + Path.Combine(_folder, "pebble.json") + "' -dnsserver 127.0.0.1:" + dnsPort + " > '" + Path.Combine(_folder, "pebble.log") + "' 2>&1");
            pebble.Environment["PEBBLE_VA_NOSLEEP"] = "1";
            pebble.Environment["PEBBLE_AUTHZREUSE"] = "0";
            pebble.Environment["PEBBLE_WFE_NONCEREJECT"] = "20";
            _pebble = Process.Start(pebble);
            DirectoryUrl = "https://127.0.0.1:" + apiPort + "/dir";
            using HttpClient http = Client();
            Stopwatch waited = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if (http.GetAsync(DirectoryUrl).GetAwaiter().GetResult().IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // not up yet
                }

                if (_pebble.HasExited || waited.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException("Pebble did not start: " + Log);
                }

                Thread.Sleep(100);
            }
        }

        private HttpClient Client()
        {
            X509Certificate2Collection trust = ApiTrust;
            SocketsHttpHandler handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate != null && trust[0].RawData.AsSpan().SequenceEqual(certificate.GetRawCertData());
            return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        }
    }
}
