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
            s_folder = TempFolder();
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
            var upstream = Listen();
            int port = FreePort();
            RelayServer relay = StartRelay(pump, Config(port, PortOf(upstream), version), s_identity);
            using RelayStop stopAtEnd = new RelayStop(relay, upstream);
            using Socket raw = Connect(port);
            int clientPort = ((IPEndPoint)raw.LocalEndPoint).Port;
            using SslStream client = TlsClient(raw, "anything.example");
            Assert.AreEqual(s_identity.Fingerprint, Convert.ToHexString(client.RemoteCertificate.GetCertHash(HashAlgorithmName.SHA256)).ToLowerInvariant(), "the relay's own certificate");
            byte[] opening = { (byte)'W', (byte)'A', 6, 5 };
            client.Write(opening);
            using Socket up = upstream.AcceptSocket();
            up.ReceiveTimeout = 10000;
            ProxyHeaderReader header = ReadHeader(up, version);
            Assert.AreEqual(0x7F000001u, header.SourceAddress.IPv4);
            Assert.AreEqual(clientPort, header.SourcePort, "the client's own port");
            Assert.AreEqual(port, header.DestinationPort, "the port the client dialled");
            CollectionAssert.AreEqual(opening, ReadExactly(up, 4), "the decrypted opening follows the header");

            const int Size = 1024 * 1024;
            using NetworkStream upStream = new NetworkStream(up, false);
            Task<byte[]> fromClient = Task.Run(() => ReceiveHash(upStream, Size));
            Task<byte[]> toUpstream = Task.Run(() => SendPattern(client, Size, 1));
            Task<byte[]> toClient = Task.Run(() => SendPattern(upStream, Size, 2));
            byte[] atClient = ReceiveHash(client, Size);
            CollectionAssert.AreEqual(toUpstream.Result, fromClient.Result, "client -> upstream intact");
            CollectionAssert.AreEqual(toClient.Result, atClient, "upstream -> client intact, encrypted again");
            Assert.AreEqual(0, relay.SnapshotTotal().RefusedTotal);
        }

        [TestMethod]
        [DataRow("events")]
        [DataRow("threads")]
        [Timeout(60000)]
        public void OpensslAndPythonClients_RelayedBothWays(string pump)
        {
            var upstream = Listen();
            int port = FreePort();
            RelayServer relay = StartRelay(pump, Config(port, PortOf(upstream), 0), s_identity);
            Task server = Task.Run(() =>
            {
                for (int i = 0; i < 2; i++)
                {
                    using Socket s = upstream.AcceptSocket();
                    s.ReceiveTimeout = 10000;
                    Assert.AreEqual("WA\u0006\u0005ping", Encoding.ASCII.GetString(ReadExactly(s, 8)));
                    s.Send(Encoding.ASCII.GetBytes("pong"));
                    s.Shutdown(SocketShutdown.Send);
                    ReadToEnd(s);
                }
            });
            using RelayStop stopAtEnd = new RelayStop(relay, upstream);
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
            var upstream = Listen();
            int port = FreePort();
            RelayConfig config = Config(port, PortOf(upstream), 1);
            config.DecoyPage = "<html><body>Hello from a small site</body></html>";
            RelayServer relay = StartRelay(pump, config, s_identity);
            using RelayStop stopAtEnd = new RelayStop(relay, upstream);
            using SslStream client = TlsClient(Connect(port), "probe.example");
            client.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: probe.example\r\nUser-Agent: curl/8.0\r\n\r\n"));
            string answer = Encoding.ASCII.GetString(ReadAll(client));
            StringAssert.StartsWith(answer, "HTTP/1.1 200 OK\r\n");
            StringAssert.Contains(answer, "Content-Length: 49\r\n");
            StringAssert.EndsWith(answer, "\r\n\r\n<html><body>Hello from a small site</body></html>");

            using SslStream other = TlsClient(Connect(port), "probe.example");
            other.Write(Encoding.ASCII.GetBytes("GET /admin HTTP/1.1\r\n\r\n"));
            StringAssert.StartsWith(Encoding.ASCII.GetString(ReadAll(other)), "HTTP/1.1 404 Not Found\r\n");

            Assert.AreEqual(2, relay.SnapshotTotal().Refused(RefusalReason.Probe));
            Assert.IsFalse(upstream.Pending(), "no upstream connection for a probe");
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
            var upstream = Listen(backlog: 64);
            int port = FreePort();
            RelayConfig config = Config(port, PortOf(upstream), 0);
            config.HelloTimeoutSeconds = 2;
            RelayServer relay = StartRelay(pump, config, s_identity);
            Task echo = Task.Run(() =>
            {
                try
                {
                    while (true)
                    {
                        Socket s = upstream.AcceptSocket();
                        Task.Run(() =>
                        {
                            using (s)
                            {
                                byte[] b = new byte[64];
                                int n;
                                while ((n = s.Receive(b)) > 0)
                                {
                                    s.Send(b, n, SocketFlags.None);
                                }
                            }
                        });
                    }
                }
                catch (Exception)
                {
                }
            });
            using RelayStop stopAtEnd = new RelayStop(relay, upstream);
            byte[] hello = new HelloBuilder().Build();
            using (SslStream warm = TlsClient(Connect(port), "ok.example"))
            {
                warm.Write(new byte[] { (byte)'W', (byte)'A', 1, 2 });
                ReadExactlyFrom(warm, 4); // the process's first TLS handshake pays one-time setup
            }

            // A client that stalls mid-handshake holds its own session only.
            using Socket stalled = Connect(port);
            stalled.Send(hello, 0, 60, SocketFlags.None);
            Stopwatch quick = Stopwatch.StartNew();
            using (SslStream good = TlsClient(Connect(port), "ok.example"))
            {
                good.Write(new byte[] { (byte)'W', (byte)'A', 1, 2 });
                ReadExactlyFrom(good, 4);
            }

            Assert.IsTrue(quick.ElapsedMilliseconds < 1500, "another client's handshake and data took " + quick.ElapsedMilliseconds + " ms beside the stalled one");
            Assert.IsTrue(ClosedWithin(stalled, 5000), "the stalled client is dropped at the hello timeout");

            // Garbage after 16 03.
            using (Socket garbage = Connect(port))
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
            using (Socket closes = Connect(port))
            {
                closes.Send(hello, 0, 60, SocketFlags.None);
                closes.Shutdown(SocketShutdown.Send);
                ClosedWithin(closes, 3000);
            }

            using (Socket resets = Connect(port))
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
            var upstream = Listen();
            int port = FreePort();
            RelayServer relay = StartRelay(pump, Config(port, PortOf(upstream), 1), s_identity);
            using RelayStop stopAtEnd = new RelayStop(relay, upstream);
            using Socket plain = Connect(port);
            plain.Send(new byte[] { (byte)'W', (byte)'A', 6, 5 });
            Assert.IsTrue(ClosedWithin(plain, 3000));
            Assert.IsTrue(WaitUntil(() => relay.SnapshotTotal().Refused(RefusalReason.NotTls) == 1, 3000));
        }

        private static RelayConfig Config(int port, int upstreamPort, int proxyVersion)
        {
            RelayConfig config = LoopbackRig.Config();
            RouteConfig route = Plain(port, upstreamPort, proxy: proxyVersion > 0);
            route.Name = "chat-tls";
            route.ProxyProtocolVersion = proxyVersion == 2 ? 2 : 1;
            route.TerminateTls = true;
            config.Routes = new[] { route };
            return config;
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



        private static byte[] ReadAll(Stream s)
        {
            MemoryStream all = new MemoryStream();
            byte[] buffer = new byte[4096];
            try
            {
                int n;
                while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
                {
                    all.Write(buffer, 0, n);
                }
            }
            catch (IOException)
            {
                // a close without close_notify still ends the answer
            }

            return all.ToArray();
        }

        private static void ReadExactlyFrom(Stream s, int count)
        {
            byte[] buffer = new byte[count];
            int got = 0;
            while (got < count)
            {
                int n = s.Read(buffer, got, count - got);
                Assert.IsTrue(n > 0, "closed early");
                got += n;
            }
        }

        private static void ReadToEnd(Socket s)
        {
            byte[] b = new byte[256];
            try
            {
                while (s.Receive(b) > 0)
                {
                }
            }
            catch (SocketException)
            {
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
