using System.Collections.Generic;
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Pigeon.Config;
using Pigeon.Host.Tls;
using Pigeon.Relay;
using Pigeon.Tests.Support;
using Pigeon.Testing;
using static Pigeon.Testing.Loopback;
using static Pigeon.Tests.Host.Relay.LoopbackRig;
using Pigeon.Counters;
using Pigeon.Upstream;

namespace Pigeon.Tests.Host.Relay
{
    /// <summary>
    /// Chat with TLS on (terminateTls), end to end on 127.0.0.1 over both pumps: real TLS clients
    /// (.NET SslStream, openssl s_client, Python ssl), a fake upstream that checks the PROXY header
    /// and every byte, the decoy for probers, and each way a handshake can go wrong.
    /// </summary>
    [TestClass]
    [DoNotParallelize]
    public class TlsTerminationTests
    {
        private static TlsIdentity s_identity;
        private static string s_folder;

        [ClassInitialize]
        public static void MakeIdentity(TestContext context)
        {
            s_folder = TestFolder.Create();
            s_identity = TlsIdentity.Make(s_folder);
        }

        [ClassCleanup]
        public static void DeleteIdentity()
        {
            s_identity?.Dispose();
            Directory.Delete(s_folder, true);
        }

        [TestMethod]
        [DataRow("events", 1)]
        [DataRow("events", 2)]
        [DataRow("threads", 1)]
        [DataRow("threads", 2)]
        [DataRow("events-portable", 2)]
        [DataRow("events-sslstream", 2)]
        [Timeout(60000)]
        public void SslStreamClient_ProxyHeaderThenInnerBytes_BothWaysIntact(string pump, int version)
        {
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream, version)).Start(pump, s_identity);
            using Socket raw = run.Connect();
            int clientPort = ((IPEndPoint)raw.LocalEndPoint).Port;
            using SslStream client = TlsClient(raw, "anything.example");
            Assert.AreEqual(s_identity.Fingerprint, Convert.ToHexString(client.RemoteCertificate.GetCertHash(HashAlgorithmName.SHA256)).ToLowerInvariant(), "the relay's own certificate");
            byte[] opening = { (byte)'W', (byte)'A', 6, 5 };
            client.Write(opening);
            using Socket up = run.Accept(10000);
            ProxyHeaderReader header = ReadHeader(up, version);
            Assert.AreEqual(0x7F000001u, header.SourceAddress.IPv4);
            Assert.AreEqual(clientPort, header.SourcePort, "the client's own port");
            Assert.AreEqual(run.Port, header.DestinationPort, "the port the client dialled");
            CollectionAssert.AreEqual(opening, ReadExactly(up, 4), "the decrypted opening follows the header");

            const int Size = 1024 * 1024;
            using NetworkStream upStream = new NetworkStream(up, false);
            Task<byte[]> fromClient = Task.Run(() => ReceiveHash(upStream, Size));
            Task<byte[]> toUpstream = Task.Run(() => SendPattern(client, Size, 1));
            Task<byte[]> toClient = Task.Run(() => SendPattern(upStream, Size, 2));
            byte[] atClient = ReceiveHash(client, Size);
            CollectionAssert.AreEqual(toUpstream.Result, fromClient.Result, "client -> upstream intact");
            CollectionAssert.AreEqual(toClient.Result, atClient, "upstream -> client intact, encrypted again");
            Assert.AreEqual(0, run.Relay.SnapshotTotal().RefusedTotal);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(60000)]
        public void OpensslAndPythonClients_RelayedBothWays(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream)).Start(pump, s_identity);
            int port = run.Port;
            Task server = Task.Run(() =>
            {
                for (int i = 0; i < 2; i++)
                {
                    using Socket s = run.Accept(10000);
                    Assert.AreEqual("WA\u0006\u0005ping", Encoding.ASCII.GetString(ReadExactly(s, 8)));
                    s.Send(Encoding.ASCII.GetBytes("pong"));
                    s.Shutdown(SocketShutdown.Send);
                    ClosedWithin(s, 10000);
                }
            });
            string openssl = Run("bash", "-c", "printf 'WA\\006\\005ping' | openssl s_client -connect 127.0.0.1:" + port + " -servername cdn.example -quiet -ign_eof 2>/dev/null");
            Assert.AreEqual("pong", openssl, "openssl s_client got the upstream's answer");
            string python = Run("python3", "-c",
                "import socket,ssl\n"
                + "c=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.check_hostname=False; c.verify_mode=ssl.CERT_NONE\n"
                + "s=c.wrap_socket(socket.create_connection(('127.0.0.1'," + port + ")),server_hostname='cdn.example')\n"
                + "s.sendall(b'WA\\x06\\x05ping'); d=b''\n"
                + "while True:\n  b=s.recv(100)\n  if not b: break\n  d+=b\n"
                + "print(s.version()+' '+d.decode(),end='')");
            Assert.AreEqual("TLSv1.3 pong", python, "Python's ssl, TLS 1.3");
            Assert.IsTrue(server.Wait(10000));
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void Probe_HttpInsideTls_AnsweredAsAWebPage_UpstreamNeverDialled(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream, 1));
            run.Config.DecoyPage = "<html><body>Hello from a small site</body></html>";
            RelayServer relay = run.Start(pump, s_identity).Relay;
            using SslStream client = TlsClient(run.Connect(), "probe.example");
            // Two requests on one kept-alive connection, the second asking to close.
            client.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: probe.example\r\nUser-Agent: curl/8.0\r\n\r\nGET /admin HTTP/1.1\r\nHost: probe.example\r\nConnection: close\r\n\r\n"));
            string answer = Encoding.ASCII.GetString(ReadAll(client));
            StringAssert.StartsWith(answer, "HTTP/1.1 200 OK\r\nServer: nginx\r\n");
            StringAssert.Contains(answer, "Content-Length: 49\r\n");
            StringAssert.Contains(answer, "Connection: keep-alive\r\n");
            StringAssert.Contains(answer, "\r\n\r\n<html><body>Hello from a small site</body></html>HTTP/1.1 404 Not Found\r\n");
            StringAssert.EndsWith(answer, "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");

            using SslStream other = TlsClient(run.Connect(), "probe.example");
            other.Write(Encoding.ASCII.GetBytes("GET /admin HTTP/1.1\r\n\r\n"));
            StringAssert.StartsWith(Encoding.ASCII.GetString(ReadAll(other)), "HTTP/1.1 400 Bad Request\r\n", "HTTP/1.1 without Host, as nginx");

            Assert.AreEqual(2, relay.SnapshotTotal().Refused(RefusalReason.Probe), "one count per prober's connection");
            Assert.IsFalse(run.Upstream.Pending(), "no upstream connection for a probe");
            Assert.AreEqual(0, relay.SnapshotTotal().UpstreamFailures);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [DataRow("events-portable")]
        [DataRow("events-sslstream")]
        [Timeout(60000)]
        public void BadHandshakes_EachRefusedUnderItsReason_OthersNotDelayed(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream), backlog: 64);
            int port = run.Port;
            run.Config.HelloTimeoutSeconds = 2;
            RelayServer relay = run.Start(pump, s_identity, new FastClock(20)).Relay; // 60 s, a web server's handshake timeout, in 3 s
            TestUpstream.Echo(run.Upstream);
            byte[] hello = new HelloBuilder().Build();
            using (SslStream warm = TlsClient(run.Connect(), "ok.example"))
            {
                warm.Write(new byte[] { (byte)'W', (byte)'A', 1, 2 });
                Assert.IsTrue(ReadExactly(warm, new byte[4], 0, 4), "closed early"); // the process's first TLS handshake pays one-time setup
            }

            // A client that stalls mid-handshake holds its own session only.
            using Socket stalled = run.Connect();
            stalled.Send(hello, 0, 60, SocketFlags.None);
            Stopwatch quick = Stopwatch.StartNew();
            using (SslStream good = TlsClient(run.Connect(), "ok.example"))
            {
                good.Write(new byte[] { (byte)'W', (byte)'A', 1, 2 });
                Assert.IsTrue(ReadExactly(good, new byte[4], 0, 4), "closed early");
            }

            Assert.IsTrue(quick.ElapsedMilliseconds < 1500, "another client's handshake and data took " + quick.ElapsedMilliseconds + " ms beside the stalled one");
            Assert.IsTrue(ClosedWithin(stalled, 8000), "the stalled client is dropped at a web server's handshake timeout");

            // Garbage after 16 03.
            using (Socket garbage = run.Connect())
            {
                byte[] junk = new byte[37];
                new Random(7).NextBytes(junk);
                junk[0] = 0x16;
                junk[1] = 0x03;
                junk[2] = 0x01;
                junk[3] = 0x00;
                junk[4] = 0x20;
                garbage.Send(junk);
                Assert.IsTrue(ClosedWithin(garbage, 5000));
            }

            // Closed, and reset, mid-handshake.
            using (Socket closes = run.Connect())
            {
                closes.Send(hello, 0, 60, SocketFlags.None);
                closes.Shutdown(SocketShutdown.Send);
                ClosedWithin(closes, 3000);
            }

            using (Socket resets = run.Connect())
            {
                resets.Send(hello, 0, 60, SocketFlags.None);
                Thread.Sleep(100);
                resets.LingerState = new LingerOption(true, 0);
                resets.Close();
            }

            // A TLS version and a cipher the relay does not offer.
            Run("bash", "-c", "printf x | openssl s_client -connect 127.0.0.1:" + port + " -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' >/dev/null 2>&1; true");
            Run("bash", "-c", "printf x | openssl s_client -connect 127.0.0.1:" + port + " -tls1_2 -cipher AES128-SHA >/dev/null 2>&1; true");

            Assert.IsTrue(WaitUntil(() => relay.SnapshotTotal().RefusedTotal >= 6, 5000), "refusals: " + relay.SnapshotTotal().RefusedTotal);
            RouteCounters total = relay.SnapshotTotal();
            Assert.AreEqual(1, total.Refused(RefusalReason.HelloTimeout), "stalled");
            Assert.AreEqual(2, total.Refused(RefusalReason.ClosedEarly), "closed and reset mid-handshake");
            Assert.AreEqual(3, total.Refused(RefusalReason.TlsFailed), "garbage, TLS 1.1, no common cipher");
            Assert.AreEqual(0, total.Refused(RefusalReason.NotTls));
            Assert.IsTrue(WaitUntil(() => relay.ActiveSessions == 0, 5000), "every session ended: " + relay.ActiveSessions);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void PlainBytesOnATlsRoute_RefusedAsNotTls(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream, 1)).Start(pump, s_identity);
            using Socket plain = run.Connect();
            plain.Send(new byte[] { (byte)'W', (byte)'A', 6, 5 });
            Assert.IsTrue(ClosedWithin(plain, 3000));
            Assert.IsTrue(WaitUntil(() => run.Relay.SnapshotTotal().Refused(RefusalReason.NotTls) == 1, 3000));
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(30000)]
        public void Signal_TlsInsideTheTls_ReachesItsHostUnchanged_WhatsAppAndTheSiteOnTheSamePort(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream));
            using TcpListener signal = Listen();
            run.Route.ChatOpeningCheck = true;
            run.Route.SignalSni = new[] { "chat.signal.org" };
            run.Route.SignalPort = PortOf(signal);
            TableResolver dns = new TableResolver().Add("chat.signal.org", 0x7F000001);
            RelayServer relay = run.Start(pump, new Pigeon.Host.Tls.CertificateStore(s_identity), dns).Relay;

            // Signal's app: TLS to the relay, and inside it TLS to chat.signal.org, end to end.
            using SslStream outer = TlsClient(run.Connect(), "relay.example.org");
            Task<SslStream> far = Task.Run(() => TlsServer(signal.AcceptSocket()));
            using SslStream inner = new SslStream(outer, false);
            inner.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "chat.signal.org", RemoteCertificateValidationCallback = (a, b, c, d) => true });
            using SslStream server = far.Result;
            inner.Write(Encoding.ASCII.GetBytes("PUT /v1/websocket"));
            byte[] got = new byte[17];
            int n = 0;
            while (n < got.Length)
            {
                n += server.Read(got, n, got.Length - n);
            }

            Assert.AreEqual("PUT /v1/websocket", Encoding.ASCII.GetString(got), "the inner TLS reached the Signal host whole");
            server.Write(new byte[] { 7 });
            Assert.AreEqual(7, inner.ReadByte());
            Assert.AreEqual(1, relay.SnapshotTotal().SignalRelayed);

            // Another name inside the TLS: refused, answered as a web server.
            using (SslStream evil = TlsClient(run.Connect(), "relay.example.org"))
            {
                HelloBuilder other = new HelloBuilder();
                other.Names = new[] { "evil.example" };
                evil.Write(other.Build());
                StringAssert.StartsWith(Encoding.ASCII.GetString(ReadAll(evil)), "HTTP/1.1 400 Bad Request\r\n");
            }

            Assert.AreEqual(1, relay.SnapshotTotal().Refused(RefusalReason.SniNotAllowed));

            // WhatsApp chat and the site on the same port.
            using (SslStream chat = TlsClient(run.Connect(), "relay.example.org"))
            {
                chat.Write(new byte[] { (byte)'W', (byte)'A', 6, 3 });
                using Socket up = run.Accept();
                Assert.AreEqual((byte)'W', ReadExactly(up, 4)[0]);
            }

            using (SslStream site = TlsClient(run.Connect(), "relay.example.org"))
            {
                site.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: relay.example.org\r\nConnection: close\r\n\r\n"));
                StringAssert.StartsWith(Encoding.ASCII.GetString(ReadAll(site)), "HTTP/1.1 200 OK\r\n");
            }

            Assert.AreEqual(1, relay.SnapshotTotal().SignalRelayed);
        }

        [TestMethod]
        [DataRow("h2,http/1.1", "http/1.1")]
        [DataRow("http/1.1", "http/1.1")]
        [DataRow("xmpp-client", "")]
        [DataRow("", "")]
        [Timeout(30000)]
        public void Alpn_Http11WhenOffered_NoneOtherwise_NeverRefused(string offered, string chosen)
        {
            var store = new Pigeon.Host.Tls.CertificateStore(s_identity);
            store.ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http11 };
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream)).Start("events", store);
            using Socket raw = run.Connect();
            using SslStream client = new SslStream(new NetworkStream(raw, false), false);
            SslClientAuthenticationOptions options = new SslClientAuthenticationOptions { TargetHost = "x.example", RemoteCertificateValidationCallback = (a, b, c, d) => true };
            if (offered.Length > 0)
            {
                options.ApplicationProtocols = new List<SslApplicationProtocol>();
                foreach (string protocol in offered.Split(','))
                {
                    options.ApplicationProtocols.Add(new SslApplicationProtocol(protocol));
                }
            }

            client.AuthenticateAsClient(options);
            Assert.AreEqual(chosen, client.NegotiatedApplicationProtocol.ToString());
        }

        // The upstream finishes while the client is still sending: the relay sends its close_notify
        // from one direction while the other is reading the same TLS session (on the threads pump
        // and over SslStream, two threads: TlsCloseGate), then relays the rest of the client's
        // bytes and, at the client's close_notify and FIN, ends.
        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [DataRow("events-portable")]
        [DataRow("events-sslstream")]
        [Timeout(60000)]
        public void UpstreamFinishesFirst_CloseNotifyWhileTheClientStillSends_EveryByteBothWays(string pump)
        {
            using RelayRun run = new RelayRun((listen, upstream) => TlsChat(listen, upstream)).Start(pump, s_identity);
            for (int round = 0; round < 10; round++)
            {
                using Socket raw = run.Connect();
                using SslStream client = TlsClient(raw, "anything.example");
                byte[] opening = { (byte)'W', (byte)'A', 6, 5 };
                client.Write(opening);
                using Socket up = run.Accept(10000);
                CollectionAssert.AreEqual(opening, ReadExactly(up, 4));
                using NetworkStream upStream = new NetworkStream(up, false);
                Task<(byte[] Hash, long Count)> atUpstream = Task.Run(() => HashToEnd(upStream));
                bool clientReadEnd = false;
                Task<(byte[] Hash, long Count)> fromClient = Task.Run(() =>
                {
                    // Sends until the relay's close_notify has reached the client, then 256 KB more.
                    using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    byte[] chunk = new byte[16 * 1024];
                    new Random(round).NextBytes(chunk);
                    long sent = 0;
                    int after = 16;
                    while (!Volatile.Read(ref clientReadEnd) || after-- > 0)
                    {
                        chunk[0] = (byte)(sent >> 14);
                        client.Write(chunk, 0, chunk.Length);
                        hash.AppendData(chunk);
                        sent += chunk.Length;
                    }

                    return (hash.GetHashAndReset(), sent);
                });

                byte[] down = SendPattern(upStream, 256 * 1024, 100 + round);
                up.Shutdown(SocketShutdown.Send);
                (byte[] Hash, long Count) atClient = HashToEnd(client); // ends at the relay's close_notify
                Volatile.Write(ref clientReadEnd, true);
                (byte[] Hash, long Count) sent = fromClient.Result;
                client.ShutdownAsync().GetAwaiter().GetResult(); // the client's reads are over: no overlap here
                raw.Shutdown(SocketShutdown.Send);
                Assert.IsTrue(atUpstream.Wait(10000), "the upstream got the client's FIN");
                Assert.AreEqual(256 * 1024, atClient.Count, "round " + round + ": the upstream's bytes, then the end");
                CollectionAssert.AreEqual(down, atClient.Hash, "round " + round + ": upstream -> client intact");
                Assert.AreEqual(sent.Count, atUpstream.Result.Count, "round " + round + ": every byte the client sent, after the upstream's FIN too");
                CollectionAssert.AreEqual(sent.Hash, atUpstream.Result.Hash, "round " + round + ": client -> upstream intact");
            }

            Assert.IsTrue(WaitUntil(() => run.Relay.ActiveSessions == 0, 5000), "every session ended: " + run.Relay.ActiveSessions);
            Assert.AreEqual(0, run.Relay.SnapshotTotal().RefusedTotal);
        }

        // Reads to the end (0: FIN, or close_notify inside TLS); the SHA-256 and the count.
        private static (byte[] Hash, long Count) HashToEnd(Stream s)
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[64 * 1024];
            long count = 0;
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                count += n;
            }

            return (hash.GetHashAndReset(), count);
        }

        private static ProxyHeaderReader ReadHeader(Socket up, int version)
        {
            byte[] buffer = new byte[ProxyHeaderReader.MaxV1Length];
            int got = 0;
            ProxyHeaderReader reader = new ProxyHeaderReader();
            while (true)
            {
                // One byte at a time: the header must be read exactly, not a byte further.
                int n = up.Receive(buffer, got, 1, SocketFlags.None);
                Assert.AreEqual(1, n, "closed inside the header");
                got++;
                int result = reader.Read(buffer, 0, got);
                if (result == ProxyHeaderReader.Done)
                {
                    Assert.AreEqual(version == 2 ? ProxyHeader.V2Length : got, reader.Length);
                    Assert.AreEqual(version == 2, buffer[0] == 0x0D, "the version asked for");
                    return reader;
                }

                Assert.AreEqual(ProxyHeaderReader.NeedMore, result, "a valid header");
            }
        }

        private static string Run(string file, params string[] args)
        {
            ProcessStartInfo start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start);
            string output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            Assert.IsTrue(process.WaitForExit(20000), file + " did not finish");
            return output;
        }
    }
}
