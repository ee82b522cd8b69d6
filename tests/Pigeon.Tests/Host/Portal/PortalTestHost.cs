using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Host;
using Pigeon.Net;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// Pigeon.Host run in-process on a fresh data folder: relay routes and the portal on free
    /// loopback ports (so tests never touch 443/5222/587/7777 or another run's ports).
    /// </summary>
    internal sealed class PortalTestHost : IDisposable
    {
        private readonly HostApp _app;
        private readonly bool _ownsDataDir;

        /// <summary>
        /// <paramref name="tlsChat"/> puts a chat route that takes the app's TLS off (terminateTls,
        /// on 127.0.0.1) before the plain one; <paramref name="relayFields"/> are more members of the
        /// "relay" object (JSON text ending with a comma); <paramref name="tlsPort"/> the TLS route's
        /// port (0: a free one); <paramref name="networkFields"/> the members of "network" (JSON text);
        /// <paramref name="beforeStart"/> runs between the host's Load and Start; <paramref name="dataDir"/>
        /// a folder of the caller's (kept at the end; else a fresh one, deleted).
        /// </summary>
        public PortalTestHost(bool withDns = false, string fakeWifiJson = null, bool tlsChat = false, string relayFields = null, int tlsPort = 0,
            string networkFields = null, Action<HostApp> beforeStart = null, string dataDir = null, string tlsAddress = "127.0.0.1")
        {
            _ownsDataDir = dataDir == null;
            DataDir = dataDir ?? TestFolder.Create("pigeon-portal");
            Directory.CreateDirectory(DataDir);
            // Loopback.FreePort never hands out a port twice: four different ports.
            PortalPort = Loopback.FreePort();
            ChatPort = Loopback.FreePort();
            MediaPort = Loopback.FreePort();
            TlsPort = !tlsChat ? 0 : tlsPort > 0 ? tlsPort : Loopback.FreePort();
            File.WriteAllText(ConfigPath,
                "{\"relay\":{" + relayFields + "\"routes\":["
                + (tlsChat ? "{\"name\":\"chat-tls\",\"listenAddress\":\"" + tlsAddress + "\",\"listenPort\":" + TlsPort + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9,\"terminateTls\":true}," : string.Empty)
                + "{\"name\":\"chat-" + ChatPort + "\",\"listenPort\":" + ChatPort + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9},"
                + "{\"name\":\"media-" + MediaPort + "\",\"listenPort\":" + MediaPort + ",\"upstreamHost\":\"127.0.0.1\",\"upstreamPort\":9,\"allowedSni\":[\"whatsapp.net\",\"*.whatsapp.net\"]}]},"
                + "\"portal\":{\"listenAddress\":\"127.0.0.1\",\"port\":" + PortalPort + "}"
                + (networkFields == null ? string.Empty : ",\"network\":{" + networkFields + "}") + "}");
            HostOptions options = new HostOptions { DataDir = DataDir, DnsPort = withDns ? 0 : -1 };
            if (fakeWifiJson != null)
            {
                options.FakeWifiPath = Path.Combine(DataDir, "fake-wifi.json");
                File.WriteAllText(options.FakeWifiPath, fakeWifiJson);
            }

            _app = new HostApp(options, Log);
            List<string> errors = new List<string>();
            Assert.IsTrue(_app.Load(errors), string.Join("; ", errors));
            beforeStart?.Invoke(_app);
            _app.Start();
            Assert.IsNotNull(_app.Portal, "the portal did not start");
        }

        public string DataDir { get; }

        /// <summary>Every line the host logged.</summary>
        public RecordingLog Log { get; } = new RecordingLog();

        /// <summary>The host app (its relay and certificate).</summary>
        public HostApp App => _app;

        public int ChatPort { get; }

        public int MediaPort { get; }

        /// <summary>The terminateTls chat route's port (0 without one).</summary>
        public int TlsPort { get; }

        public string ConfigPath => Path.Combine(DataDir, "config.json");

        public int PortalPort { get; }

        public string BaseUrl => "http://127.0.0.1:" + PortalPort + "/";

        public PortalHost Portal => _app.Portal;

        public void Dispose()
        {
            _app.Stop();
            if (!_ownsDataDir)
            {
                return;
            }

            TestFolder.Delete(DataDir);
        }

        /// <summary>Keeps every line (a test reads them for secrets); warnings also go to stderr.</summary>
        internal sealed class RecordingLog : ILog
        {
            private readonly List<string> _lines = new List<string>();

            public string[] Lines
            {
                get
                {
                    lock (_lines)
                    {
                        return _lines.ToArray();
                    }
                }
            }

            public void Info(string message)
            {
                lock (_lines)
                {
                    _lines.Add(message);
                }
            }

            public void Warn(string message)
            {
                Info(message);
                Console.Error.WriteLine("host warning: " + message);
            }
        }
    }
}
