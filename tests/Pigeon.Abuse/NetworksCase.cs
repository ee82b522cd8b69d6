using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The networks users live on (issue 18): carrier NAT, load balancers, descriptor limits,
    /// IPv6 and a second instance started by mistake.
    /// <list type="bullet">
    /// <item>carrier NAT: 500 sessions from one address on an empty relay are all served; on a
    /// full relay the address over its fair share gives way to the addresses under theirs;</item>
    /// <item>acceptProxyFrom: a PROXY header from an address not named is refused and counted;
    /// from the named one, the client (IPv4 or IPv6) reaches the upstream's PROXY line;</item>
    /// <item>the open-file limit: under 256 with every kind of route (TLS too) and 1,000 held
    /// connections, and under 1,024 with 10,000, the process lives, says the limit, answers
    /// /api/status throughout and serves again once they close;</item>
    /// <item>an IPv6 client on an IPv6 listener reaches the upstream as itself (PROXY TCP6);</item>
    /// <item>a second instance on the same port exits with an error naming the port.</item>
    /// </list>
    /// </summary>
    public static class NetworksCase
    {
        private static readonly byte[] s_opening = { (byte)'W', (byte)'A', 6, 3 };

        /// <summary>Runs every part.</summary>
        public static void Run(Report report, Scale scale, int seed)
        {
            CarrierNat(report);
            FairShareWhenFull(report);
            ProxyFrom(report);
            OutOfFiles(report, 256, 1000);
            OutOfFiles(report, 1024, 10000);
            Ipv6(report);
            SecondInstance(report);
        }

        private static void CarrierNat(Report report)
        {
            using LineUpstream upstream = new LineUpstream();
            JsonObject config = ChatRelay(4096, 120, upstream, out int port);
            ((JsonObject)config["relay"]).Remove("maxSessionsPerClient"); // the default: the fair share alone
            using PigeonHost host = new PigeonHost("carrier-nat", config);
            host.Start();
            List<Socket> phones = new List<Socket>();
            try
            {
                Open(phones, port, Loopback.Legit, 500);

                Loopback.WaitUntil(() => upstream.Accepted >= 500, 15000);
                Counters c = host.Counters();
                report.Figure("carrier_nat_served", upstream.Accepted, "of 500 sessions from one address (default config)");
                report.Check("500 sessions from one address on an empty relay are all served", upstream.Accepted == 500 && c.RefusedAtDoor == 0,
                    upstream.Accepted + " reached the upstream; " + c);
            }
            finally
            {
                phones.ForEach(p => p.Dispose());
            }

            FloodCase.CheckLog(report, host);
        }

        private static void FairShareWhenFull(Report report)
        {
            using LineUpstream upstream = new LineUpstream();
            JsonObject config = ChatRelay(40, 0, upstream, out int port);
            using PigeonHost host = new PigeonHost("fair-share", config);
            host.Start();
            string carrier = Loopback.Address(2);
            List<Socket> all = new List<Socket>();
            try
            {
                Open(all, port, carrier, 40);

                Loopback.WaitUntil(() => upstream.Accepted >= 40, 10000);
                report.Check("one address may fill an otherwise empty relay", upstream.Accepted == 40, upstream.Accepted + " of 40");
                Thread.Sleep(300); // the carrier's sessions fall idle

                int newcomers = 0;
                for (int i = 0; i < 10; i++)
                {
                    int before = upstream.Accepted;
                    Open(all, port, Loopback.Address(10 + i), 1);
                    if (Loopback.WaitUntil(() => upstream.Accepted > before, 3000))
                    {
                        newcomers++;
                    }
                }

                Counters c = host.Counters();
                report.Figure("fair_share_newcomers_served", newcomers, "of 10 new addresses on a relay one address filled");
                report.Check("on a full relay every newcomer under its share is served", newcomers == 10, newcomers + " of 10; " + c);
                report.Check("the address over its share gave way (its idlest sessions evicted)", c["evicted"] == 10, c.ToString());

                Socket more = Open(all, port, carrier, 1);
                report.Check("the address over its share gets no more while the relay is full", Loopback.ClosedWithin(more, 3000) && upstream.Accepted == 50,
                    upstream.Accepted + " upstream connections; " + host.Counters());
            }
            finally
            {
                all.ForEach(p => p.Dispose());
            }

            FloodCase.CheckLog(report, host);
        }

        /// <summary>
        /// A relay of <paramref name="maxSessions"/> slots (no per-address cap, idle sessions evicted
        /// after <paramref name="evictIdleSeconds"/>, 0 = never) with one chat route, on a free port
        /// (<paramref name="port"/>), to <paramref name="upstream"/>.
        /// </summary>
        private static JsonObject ChatRelay(int maxSessions, int evictIdleSeconds, LineUpstream upstream, out int port)
        {
            port = Loopback.FreePort();
            return Configs.Relay(maxSessions, 0, evictIdleSeconds, 10, 200, Configs.Chat("chat", port, upstream.Port));
        }

        /// <summary>Opens <paramref name="count"/> chat sessions from <paramref name="from"/> (each sends the opening) into <paramref name="sessions"/>; the last one.</summary>
        private static Socket Open(List<Socket> sessions, int port, string from, int count)
        {
            Socket s = null;
            for (int i = 0; i < count; i++)
            {
                s = Loopback.Connect(port, from);
                Loopback.SendAll(s, s_opening);
                sessions.Add(s);
            }

            return s;
        }

        private static void ProxyFrom(Report report)
        {
            using LineUpstream upstream = new LineUpstream();
            int port = Loopback.FreePort();
            JsonObject route = Configs.Chat("behind-lb", port, upstream.Port);
            route["acceptProxy"] = true;
            route["acceptProxyFrom"] = new JsonArray("127.0.0.2");
            using PigeonHost host = new PigeonHost("accept-proxy-from", Configs.Relay(16, 0, 0, 10, 200, route));
            host.Start();

            int forged = 0;
            for (int i = 0; i < 100; i++)
            {
                using Socket s = Loopback.Connect(port, Loopback.Address(3));
                Loopback.SendAll(s, Encoding.ASCII.GetBytes("PROXY TCP4 198.51.100." + (i + 1) + " 127.0.0.1 40000 " + port + "\r\n"));
                Loopback.SendAll(s, s_opening);
                if (Loopback.ClosedWithin(s, 3000))
                {
                    forged++;
                }
            }

            Counters c = host.Counters();
            report.Figure("proxy_forged_refused", forged, "of 100 headers from an address not in acceptProxyFrom");
            report.Check("headers from an address not named are refused and counted as proxy_not_trusted", forged == 100 && c["proxyNotTrusted"] == 100 && upstream.Accepted == 0,
                forged + " closed, " + upstream.Accepted + " reached the upstream; " + c);

            string[] clients = { "PROXY TCP4 198.51.100.7 203.0.113.10 40001 443\r\n", "PROXY TCP6 2001:db8:7::1 2001:db8::10 40002 443\r\n" };
            string[] expected = { "PROXY TCP4 198.51.100.7 203.0.113.10 40001 443", "PROXY TCP6 2001:db8:7::1 2001:db8::10 40002 443" };
            for (int i = 0; i < clients.Length; i++)
            {
                using Socket s = Loopback.Connect(port, Loopback.Address(2));
                Loopback.SendAll(s, Encoding.ASCII.GetBytes(clients[i]));
                Loopback.SendAll(s, s_opening);
                string line = upstream.NextLine(5000);
                report.Check("from the named balancer, the " + (i == 0 ? "IPv4" : "IPv6") + " client reaches the upstream as itself", line == expected[i], line ?? "(nothing)");
            }

            FloodCase.CheckLog(report, host);
        }

        private static void OutOfFiles(Report report, int limit, int connections)
        {
            using LineUpstream chat = new LineUpstream();
            using LineUpstream media = new LineUpstream();
            int chatPort = Loopback.FreePort();
            int tlsPort = Loopback.FreePort();
            int mediaPort = Loopback.FreePort();
            JsonObject config = Configs.Relay(4096, 0, 120, 10, 200,
                Configs.Tls("tls", tlsPort, chat.Port), Configs.Chat("chat", chatPort, chat.Port), Configs.Media("media", mediaPort, media.Port));
            ((JsonObject)config["relay"]).Remove("maxSessionsPerClient");
            using PigeonHost host = new PigeonHost("files-" + limit, config) { FileLimit = limit };
            host.Start();
            string name = "open-file limit " + limit + ", " + connections + " connections";
            List<Socket> held = new List<Socket>();
            int statusFailures = 0;
            int statusAsked = 0;
            bool stop = false;
            Thread poll = Harness.Background("status-poll", () =>
            {
                while (!Volatile.Read(ref stop))
                {
                    try
                    {
                        host.Status();
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref statusFailures);
                    }

                    Interlocked.Increment(ref statusAsked);
                    Thread.Sleep(200);
                }
            });
            poll.Start();
            Stopwatch watch = Stopwatch.StartNew();
            int refusedToConnect = 0;
            try
            {
                int[] ports = { chatPort, tlsPort, mediaPort };
                for (int i = 0; i < connections; i++)
                {
                    try
                    {
                        Socket s = Loopback.Connect(ports[i % 3], Loopback.Address(2 + (i % 200)), 5000);
                        if (i % 3 == 0)
                        {
                            Loopback.SendAll(s, s_opening);
                        }

                        held.Add(s);
                    }
                    catch (Exception)
                    {
                        refusedToConnect++;
                    }
                }

                Thread.Sleep(2000);
                report.Figure("files_" + limit + "_held", held.Count, "connections held against a limit of " + limit);
                report.Check(name + ": the process lives", host.Alive, host.Alive ? null : "it exited: " + string.Join(" | ", host.Lines.GetRange(Math.Max(0, host.Lines.Count - 5), Math.Min(5, host.Lines.Count))));
                report.Check(name + ": the log names the limit", host.Said("the limit is " + limit) || host.Said("open-file limit of " + limit), Last(host, "open"));
            }
            finally
            {
                held.ForEach(s => s.Dispose());
            }

            Counters after = host.WaitIdle(30000);
            Volatile.Write(ref stop, true);
            poll.Join();
            report.Figure("files_" + limit + "_status_failures", statusFailures, "of " + statusAsked + " GET /api/status while held");
            report.Check(name + ": /api/status answered 200 throughout", host.Alive && statusFailures == 0 && statusAsked > 0, statusFailures + " of " + statusAsked + " failed");
            report.Check(name + ": no local failure blamed on the upstream", after.UpstreamFailures == 0, after.ToString());

            int before = chat.Accepted;
            using (Socket again = Loopback.Connect(chatPort))
            {
                Loopback.SendAll(again, s_opening);
                report.Check(name + ": served again once they closed", Loopback.WaitUntil(() => chat.Accepted > before, 5000), after.ToString());
            }

            report.Note(name + ": " + after + ", " + Math.Round(watch.Elapsed.TotalSeconds) + " s, " + refusedToConnect + " connects failed at the client");
            FloodCase.CheckLog(report, host);
        }

        private static void Ipv6(Report report)
        {
            if (!Socket.OSSupportsIPv6)
            {
                report.Note("ipv6: this machine has no IPv6; nothing run");
                return;
            }

            using LineUpstream upstream = new LineUpstream();
            int port = Loopback.FreePort();
            JsonObject route = Configs.Chat("chat6", port, upstream.Port);
            route["listenAddress"] = "::1";
            using PigeonHost host = new PigeonHost("ipv6", Configs.Relay(16, 0, 0, 10, 200, route));
            host.Start();
            using Socket s = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(new IPEndPoint(IPAddress.IPv6Loopback, port));
            int clientPort = ((IPEndPoint)s.LocalEndPoint).Port;
            Loopback.SendAll(s, s_opening);
            string line = upstream.NextLine(5000);
            report.Check("an IPv6 client reaches the upstream as itself (PROXY TCP6)", line == "PROXY TCP6 ::1 ::1 " + clientPort + " " + port, line ?? "(nothing)");
            FloodCase.CheckLog(report, host);
        }

        private static void SecondInstance(Report report)
        {
            using LineUpstream upstream = new LineUpstream();
            JsonObject config = ChatRelay(16, 0, upstream, out int port);
            using PigeonHost first = new PigeonHost("first", config);
            first.Start();
            using PigeonHost second = new PigeonHost("second", config);
            int exit = second.RunToExit(60000);
            report.Check("a second instance on the same port exits with an error", exit != 0 && exit != -1, "exit code " + exit);
            report.Check("and says which port is in use", second.Said("port " + port + " is in use"), Last(second, "in use"));
            report.Check("the first keeps running", first.Alive);
        }

        private static string Last(PigeonHost host, string containing)
        {
            List<string> lines = host.Lines;
            for (int i = lines.Count - 1; i >= 0; i--)
            {
                if (lines[i].Contains(containing, StringComparison.Ordinal))
                {
                    return lines[i];
                }
            }

            return lines.Count > 0 ? lines[lines.Count - 1] : "(no output)";
        }

        /// <summary>An upstream that keeps each connection's first line (a PROXY header), then reads and drops the rest.</summary>
        private sealed class LineUpstream : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly BlockingCollection<string> _lines = new BlockingCollection<string>();
            private int _accepted;

            public LineUpstream()
            {
                _listener.Start(4096);
                Harness.Background("line-upstream", Accept).Start();
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

            public int Accepted => Volatile.Read(ref _accepted);

            public string NextLine(int ms)
            {
                return _lines.TryTake(out string line, ms) ? line : null;
            }

            public void Dispose()
            {
                _listener.Stop();
            }

            private void Accept()
            {
                while (true)
                {
                    Socket s;
                    try
                    {
                        s = _listener.AcceptSocket();
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _accepted);
                    Harness.Background("line-upstream-read", () => Read(s)).Start();
                }
            }

            private void Read(Socket s)
            {
                using (s)
                {
                    byte[] b = new byte[4096];
                    StringBuilder line = new StringBuilder();
                    bool first = true;
                    try
                    {
                        int n;
                        while ((n = s.Receive(b)) > 0)
                        {
                            for (int i = 0; first && i < n; i++)
                            {
                                if (b[i] == '\n')
                                {
                                    _lines.Add(line.ToString().TrimEnd('\r'));
                                    first = false;
                                }
                                else if (line.Length < 200)
                                {
                                    line.Append((char)b[i]);
                                }
                            }
                        }
                    }
                    catch (Exception)
                    {
                        // the relay closed it
                    }
                }
            }
        }
    }
}
