using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host;
using Pigeon.Net;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// Pigeon.Host run in-process on a fresh data folder: relay routes and the portal on free
    /// loopback ports (so tests never touch 443/5222/587/7777 or another run's ports).
    /// </summary>
    internal sealed class PortalTestHost : IDisposable
    {
        private readonly HostApp _app;

        public PortalTestHost(bool withDns = false, string fakeWifiJson = null)
        {
            DataDir = Path.Combine(Path.GetTempPath(), "pigeon-portal-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(DataDir);
            PortalPort = FreeTcpPort();
            int chat = FreeTcpPort();
            int media = FreeTcpPort();
            File.WriteAllText(ConfigPath,
                "{\"relay\":{\"routes\":["
                + "{\"name\":\"chat-" + chat + "\",\"listenPort\":" + chat + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9},"
                + "{\"name\":\"media-" + media + "\",\"listenPort\":" + media + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9,\"allowedSni\":[\"whatsapp.net\",\"*.whatsapp.net\"]}]},"
                + "\"portal\":{\"listenAddress\":\"127.0.0.1\",\"port\":" + PortalPort + "}}");
            HostOptions options = new HostOptions { DataDir = DataDir, DnsPort = withDns ? 0 : -1 };
            if (fakeWifiJson != null)
            {
                options.FakeWifiPath = Path.Combine(DataDir, "fake-wifi.json");
                File.WriteAllText(options.FakeWifiPath, fakeWifiJson);
            }

            _app = new HostApp(options, new SilentLog());
            List<string> errors = new List<string>();
            Assert.IsTrue(_app.Load(errors), string.Join("; ", errors));
            _app.Start();
            Assert.IsNotNull(_app.Portal, "the portal did not start");
        }

        public string DataDir { get; }

        public string ConfigPath => Path.Combine(DataDir, "config.json");

        public int PortalPort { get; }

        public string BaseUrl => "http://127.0.0.1:" + PortalPort + "/";

        public PortalHost Portal => _app.Portal;

        public void Dispose()
        {
            _app.Stop();
            try
            {
                Directory.Delete(DataDir, true);
            }
            catch (IOException)
            {
                // left for the OS to clean
            }
        }

        public static int FreeTcpPort()
        {
            TcpListener probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private sealed class SilentLog : ILog
        {
            public void Info(string message)
            {
            }

            public void Warn(string message)
            {
                Console.Error.WriteLine("host warning: " + message);
            }
        }
    }
}
