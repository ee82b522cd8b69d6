using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Relay;
using Pigeon.Tests.Host.Relay;
using Pigeon.Testing;

namespace Pigeon.Tests.Host.Service
{
    /// <summary>
    /// A real relay on 127.0.0.1 (a plain route to a draining upstream and an SNI route) and a
    /// fresh data folder, for the 24-hour tally's tests; idle until <see cref="Traffic"/>.
    /// </summary>
    internal sealed class TallyRig : IDisposable
    {
        private readonly TcpListener _upstream;
        private readonly bool _keepFolder;

        /// <summary>A relay and a new folder (or <paramref name="folder"/>, which is then kept).</summary>
        public TallyRig(string folder = null)
        {
            _keepFolder = folder != null;
            Folder = folder ?? Path.Combine(Path.GetTempPath(), "pigeon-tally-" + Guid.NewGuid().ToString("N"));
            _upstream = Loopback.Listen();
            PlainPort = Loopback.FreePort();
            SniPort = Loopback.FreePort();
            RelayConfig config = LoopbackRig.Config(maxSessions: 4);
            config.Routes = new[] { LoopbackRig.Plain(PlainPort, Loopback.PortOf(_upstream)), LoopbackRig.Sni(SniPort, Loopback.PortOf(_upstream)) };
            Relay = LoopbackRig.StartRelay("events", config); // the host's default pump
        }

        public RelayServer Relay { get; }

        public string Folder { get; }

        public int PlainPort { get; }

        public int SniPort { get; }

        /// <summary>One session relaying <paramref name="bytes"/> and one plain-text client refused on the SNI route.</summary>
        public void Traffic(int bytes)
        {
            Thread drain = new Thread(() =>
            {
                using Socket s = _upstream.AcceptSocket();
                byte[] b = new byte[65536];
                while (s.Receive(b) > 0)
                {
                }
            });
            drain.Start();
            using (Socket client = Loopback.Client(PlainPort))
            {
                client.Send(new byte[bytes]);
                client.Shutdown(SocketShutdown.Send);
                Loopback.ClosedWithin(client, 5000);
            }

            drain.Join(10000);
            using (Socket junk = Loopback.Client(SniPort))
            {
                junk.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"));
                Assert.IsTrue(Loopback.ClosedWithin(junk, 5000));
            }

            DateTime end = DateTime.UtcNow.AddSeconds(10);
            while ((Relay.SnapshotTotal().BytesToUpstream < bytes || Relay.SnapshotTotal().RefusedTotal < 1 || Relay.ActiveSessions > 0) && DateTime.UtcNow < end)
            {
                Thread.Sleep(20);
            }
        }

        public void Dispose()
        {
            Relay.Stop();
            _upstream.Stop();
            if (!_keepFolder && Directory.Exists(Folder))
            {
                Directory.Delete(Folder, true);
            }
        }
    }
}
