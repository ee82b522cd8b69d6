using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// Issue 18, item 7: the portal under thousands of slow and idle connections (<see cref="SlowFlood"/>),
    /// first all from one stranger's address, then spread over a hundred. Meanwhile the owner
    /// logs in again and again from the machine itself (127.0.0.1 to 127.0.0.1: a browser on the
    /// host, or an SSH tunnel to it) and from another address of the LAN that is not flooding
    /// (127.0.0.254, standing for the owner's phone), each login with a few seconds to get its
    /// answer, as a person would wait. Every login must get through; the figures are how many
    /// did and how long they took. Afterwards the portal serves at once and holds no connection
    /// of the flood.
    /// </summary>
    public static class PortalFloodCase
    {
        /// <summary>The owner's phone on the LAN: neither this machine's address nor a stranger's.</summary>
        public const string OwnerOnLan = "127.0.0.254";

        // A person waits about this long; a connect whose SYN the kernel dropped (a full listen
        // queue) is retried after 1, 3 and 7 s.
        private const int LoginBudgetMs = 10000;
        private const int PauseMs = 250;

        /// <summary>Runs the case.</summary>
        public static void Run(Report report, Scale scale, int seed)
        {
            Stopwatch whole = Stopwatch.StartNew();
            Secrets secrets = new Secrets(seed);
            using PigeonHost host = PortalCase.StartHost("portal-flood", secrets);
            int port = host.PortalPort;
            Leaks leaks = new Leaks(secrets);
            HttpAnswer first = Login(port, secrets, Loopback.Legit, leaks, out _, out _);
            report.Check("the owner logs in before the flood", first.Status == 200, first.Status + " " + first.Body);
            SortedDictionary<string, int> kindsBefore = host.FileKinds();

            Round(report, scale, port, secrets, leaks, "one_address", new[] { Loopback.Address(2) });
            string[] many = new string[100];
            for (int i = 0; i < many.Length; i++)
            {
                many[i] = Loopback.Address(2 + i);
            }

            Round(report, scale, port, secrets, leaks, "100_addresses", many);

            HttpAnswer after = Login(port, secrets, Loopback.Legit, leaks, out double ms, out _);
            report.Check("after the flood the owner logs in at once", after.Status == 200 && ms < 2000, after.Status + " in " + Math.Round(ms) + " ms");
            // Sockets only: the host's first warning (the once-a-minute line, in the soak) opens a copy of stderr, a pipe.
            bool settled = Loopback.WaitUntil(() => Sockets(host.FileKinds()) <= Sockets(kindsBefore), 10000);
            report.Check("no connection of the flood is left open in the host", settled,
                "sockets " + Sockets(kindsBefore) + " before, " + Sockets(host.FileKinds()) + " after (all descriptors but files: " + PigeonHost.FileKindsChange(kindsBefore, host.FileKinds()) + ")");
            report.Check("no answer held a secret", leaks.Count == 0, leaks.Count == 0 ? leaks.Answers + " answers read" : leaks.First);

            // The once-a-minute line (the soak lasts long enough for it): counts, and no address.
            string told = host.Lines.Find(l => l.Contains("connections turned away", StringComparison.Ordinal));
            if (whole.ElapsedMilliseconds > 65000)
            {
                report.Check("the host said once a minute how many connections it turned away, naming no address",
                    told != null && !told.Contains("127.0.0.", StringComparison.Ordinal), told ?? "no such line");
            }

            FloodCase.CheckLog(report, host);
        }

        private static void Round(Report report, Scale scale, int port, Secrets secrets, Leaks leaks, string name, string[] from)
        {
            using SlowFlood flood = new SlowFlood(port, scale.PortalFlood, from);
            Stopwatch watch = Stopwatch.StartNew();
            flood.WaitAttempts(scale.PortalFlood, 10000);
            Thread.Sleep(500); // the flood at full strength
            report.Note(name + ": " + scale.PortalFlood + " slow and idle connections from " + from.Length + " address(es), reopened " + SlowFlood.ReopenMs
                + " ms after the portal closes them: " + flood.Attempts + " connects in " + watch.ElapsedMilliseconds + " ms, " + flood.Open + " open");
            int attempts = flood.Attempts;
            watch.Restart();

            // Two people at once: the owner at the host itself and the owner's phone on the LAN.
            Owner loopback = new Owner(port, secrets, leaks, Loopback.Legit, scale.OwnerLogins);
            Owner lan = new Owner(port, secrets, leaks, OwnerOnLan, scale.OwnerLogins);
            Thread a = Harness.Background("owner on loopback", loopback.Run);
            Thread b = Harness.Background("owner on the LAN", lan.Run);
            a.Start();
            b.Start();
            a.Join();
            b.Join();

            double seconds = watch.Elapsed.TotalSeconds;
            report.Note(name + ": while the owner logged in, " + (flood.Attempts - attempts) + " stranger connects in " + Math.Round(seconds, 1) + " s, " + flood.Open + " open at the end");
            report.Figure(name + "_stranger_connects_per_s", (flood.Attempts - attempts) / seconds, "stranger connects a second while the owner logged in");
            loopback.Report(report, name, "loopback", "from the machine itself (127.0.0.1)");
            lan.Report(report, name, "lan", "from the owner's address on the LAN (" + OwnerOnLan + ")");
        }

        private static int Sockets(SortedDictionary<string, int> kinds)
        {
            kinds.TryGetValue("socket", out int n);
            return n;
        }

        private static HttpAnswer Login(int port, Secrets secrets, string from, Leaks leaks, out double ms, out string failure)
        {
            byte[] request = HttpAnswer.Request(port, "POST", "/api/login", System.Text.Encoding.UTF8.GetBytes("{\"password\":\"" + secrets.AdminPassword + "\"}"));
            Stopwatch watch = Stopwatch.StartNew();
            HttpAnswer answer;
            using Socket s = ConnectWithin(port, from, LoginBudgetMs, out failure);
            answer = s == null ? new HttpAnswer() : HttpAnswer.Exchange(s, request, Math.Max(1, LoginBudgetMs - (int)watch.ElapsedMilliseconds));

            ms = watch.Elapsed.TotalMilliseconds;
            leaks.Inspect("the owner's login during the flood", answer);
            return answer;
        }

        // A connect on the calling thread alone (non-blocking connect, then poll): the owner's
        // figures must not wait for the suite's thread pool, which the flood keeps busy.
        private static Socket ConnectWithin(int port, string from, int ms, out string failure)
        {
            Stopwatch watch = Stopwatch.StartNew();
            failure = null;
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                s.Blocking = false;
                try
                {
                    s.Connect(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock || e.SocketErrorCode == SocketError.InProgress)
                {
                    if (!s.Poll(ms * 1000, SelectMode.SelectWrite))
                    {
                        failure = "no connection within " + ms + " ms";
                    }
                    else if (s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) is int error && error != 0)
                    {
                        failure = "connect failed (error " + error + ") after " + watch.ElapsedMilliseconds + " ms";
                    }
                }

                if (failure != null)
                {
                    s.Dispose();
                    return null;
                }

                s.Blocking = true;
                return s;
            }
            catch (SocketException e)
            {
                failure = "connect failed (" + e.SocketErrorCode + ") after " + watch.ElapsedMilliseconds + " ms";
                s.Dispose();
                return null;
            }
        }

        // One person logging in again and again, each time waiting at most LoginBudgetMs.
        private sealed class Owner
        {
            private readonly int _port;
            private readonly Secrets _secrets;
            private readonly Leaks _leaks;
            private readonly string _from;
            private readonly int _tries;
            private readonly List<double> _served = new List<double>();
            private readonly Dictionary<string, int> _others = new Dictionary<string, int>();

            public Owner(int port, Secrets secrets, Leaks leaks, string from, int tries)
            {
                _port = port;
                _secrets = secrets;
                _leaks = leaks;
                _from = from;
                _tries = tries;
            }

            public void Run()
            {
                for (int i = 0; i < _tries; i++)
                {
                    HttpAnswer answer = Login(_port, _secrets, _from, _leaks, out double ms, out string failure);
                    if (answer.Status == 200 && answer.Header("Set-Cookie") != null)
                    {
                        _served.Add(ms);
                    }
                    else
                    {
                        string what = answer.Status != 0 ? answer.Status.ToString()
                            : failure != null ? failure
                            : answer.Closed ? "closed without an answer" : "no answer within " + LoginBudgetMs + " ms";
                        _others.TryGetValue(what, out int n);
                        _others[what] = n + 1;
                    }

                    Thread.Sleep(PauseMs);
                }
            }

            public void Report(Report report, string round, string path, string who)
            {
                _served.Sort();
                double median = _served.Count == 0 ? double.NaN : _served[_served.Count / 2];
                double slowest = _served.Count == 0 ? double.NaN : _served[_served.Count - 1];
                List<string> failed = new List<string>();
                foreach (KeyValuePair<string, int> other in _others)
                {
                    failed.Add(other.Key + " x" + other.Value);
                }

                report.Figure(round + "_" + path + "_logins", _served.Count, "of " + _tries + " logins " + who + " answered 200 within " + LoginBudgetMs + " ms");
                report.Figure(round + "_" + path + "_login_median_ms", median, "ms (connect to the whole answer)");
                report.Figure(round + "_" + path + "_login_slowest_ms", slowest, "ms");
                report.Check(round + ": every login " + who + " got through", _served.Count == _tries,
                    _served.Count + " of " + _tries + (failed.Count == 0 ? string.Empty : "; the others: " + string.Join(", ", failed)));
            }
        }
    }
}
