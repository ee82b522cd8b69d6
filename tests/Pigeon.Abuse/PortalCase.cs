using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Pigeon.Config;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The setup page's server under attack, with a config full of secrets and an admin password
    /// set: hostile requests (a fixed list and seeded mutations) must each get a correct answer or
    /// a close, never a 5xx (other than 501/505), never a hang; hostile config bodies from a
    /// logged-in browser must be saved or refused (200, 400, 413, 415, 422), leaving a sound
    /// config on disk; slow clients (a byte every 150 ms) from one stranger or from eight must not
    /// keep the owner from the page; a stranger's wrong passwords must not lock the owner out; and no
    /// answer and no log line may hold a secret.
    /// </summary>
    public static class PortalCase
    {
        /// <summary>Runs the case.</summary>
        public static void Run(Report report, Scale scale, int seed)
        {
            Secrets secrets = new Secrets(seed);
            using PigeonHost host = StartHost("portal", secrets);
            int port = host.PortalPort;
            Leaks leaks = new Leaks(secrets);

            HostileRequests(report, scale, seed, port, leaks);
            string cookie = Login(report, port, secrets, leaks, out string csrf);
            if (cookie != null)
            {
                HostileConfigBodies(report, scale, seed, port, cookie, csrf, leaks);
                JsonNode onDisk = StoredConfig(report, host);
                report.Check("the admin password on disk is the one set (no body changed it)",
                    onDisk != null && (string)onDisk["admin"]?["passwordHash"] == secrets.PasswordHash);
            }

            SlowClients(report, scale, port, leaks);
            StrangerGuesses(report, port, secrets, leaks);

            report.Check("no answer held a secret", leaks.Count == 0, leaks.Count == 0 ? leaks.Answers + " answers read" : leaks.First);
            string inLog = secrets.FoundIn(string.Join("\n", host.Lines));
            report.Check("no secret in the host's output", inLog == null, inLog);
            FloodCase.CheckLog(report, host);
        }

        /// <summary>A running host with one chat route whose config holds <paramref name="secrets"/> (its portal's port: PortalPort).</summary>
        internal static PigeonHost StartHost(string name, Secrets secrets)
        {
            JsonObject config = Configs.Relay(8, 0, 0, 2, Configs.Chat("chat", Loopback.FreePort(), 9));
            secrets.WriteInto(config);
            PigeonHost host = new PigeonHost(name, config);
            host.Start();
            return host;
        }

        private static void HostileRequests(Report report, Scale scale, int seed, int port, Leaks leaks)
        {
            int wrong = 0;
            string firstWrong = null;
            // From a stranger's address: the mutated logins' wrong passwords lock that address, not the owner's.
            string stranger = Loopback.Address(9);
            foreach ((string name, byte[] bytes, int[] allowed) in HostileHttp.Fixed(port))
            {
                HttpAnswer answer = HttpAnswer.Send(port, bytes, stranger, finish: true);
                leaks.Inspect(name, answer);
                bool ok = Array.IndexOf(allowed, answer.Status) >= 0 && answer.Closed && answer.Answers <= 1 && !answer.Body.Contains("root:x:0", StringComparison.Ordinal);
                if (!ok)
                {
                    wrong++;
                    firstWrong ??= name + ": " + Describe(answer) + ", expected " + string.Join("/", allowed);
                    report.Note("hostile request \"" + name + "\": " + Describe(answer) + ", expected " + string.Join("/", allowed));
                }
            }

            report.Check("each request of the fixed hostile list got its correct answer (or a close) and then a close", wrong == 0, firstWrong);

            Random random = new Random(seed);
            Dictionary<int, int> statuses = new Dictionary<int, int>();
            int bad = 0;
            string firstBad = null;
            Stopwatch watch = Stopwatch.StartNew();
            for (int i = 0; i < scale.HostileRequests; i++)
            {
                byte[] request = HostileHttp.Mutation(random, port);
                HttpAnswer answer = HttpAnswer.Send(port, request, stranger, finish: true);
                leaks.Inspect("mutation " + i, answer);
                statuses.TryGetValue(answer.Status, out int n);
                statuses[answer.Status] = n + 1;
                if (Array.IndexOf(HostileHttp.AnyCorrect, answer.Status) < 0 || !answer.Closed || answer.Answers > 1)
                {
                    bad++;
                    firstBad ??= "mutation " + i + " (" + Printable(request) + "): " + Describe(answer);
                }
            }

            report.Figure("hostile_requests", scale.HostileRequests, "seeded mutations and garbage (" + Math.Round(scale.HostileRequests / watch.Elapsed.TotalSeconds) + "/s); answers: " + Histogram(statuses));
            report.Check("each mutated request got a correct refusal (or the page) and a close, never a 5xx but 501/505", bad == 0, firstBad);
        }

        private static string Login(Report report, int port, Secrets secrets, Leaks leaks, out string csrf)
        {
            csrf = null;
            HttpAnswer answer = HttpAnswer.Json(port, "POST", "/api/login", "{\"password\":\"" + secrets.AdminPassword + "\"}");
            leaks.Inspect("login", answer);
            string cookie = answer.Header("Set-Cookie");
            if (!report.Check("the owner logs in", answer.Status == 200 && cookie != null, Describe(answer)))
            {
                return null;
            }

            using JsonDocument body = JsonDocument.Parse(answer.Body);
            csrf = body.RootElement.GetProperty("csrf").GetString();
            return cookie.Substring(0, cookie.IndexOf(';'));
        }

        private static void HostileConfigBodies(Report report, Scale scale, int seed, int port, string cookie, string csrf, Leaks leaks)
        {
            int saved = 0;
            string firstSaved = null;
            foreach ((string name, byte[] body) in HostileBodies.MustRefuse(port))
            {
                HttpAnswer answer = HttpAnswer.Send(port, HttpAnswer.Request(port, "POST", "/api/config", body, cookie, csrf));
                leaks.Inspect("body " + name, answer);
                if (answer.Status == 200 || Array.IndexOf(HostileBodies.Allowed, answer.Status) < 0)
                {
                    saved++;
                    firstSaved ??= name + ": " + Describe(answer);
                    report.Note("hostile body \"" + name + "\": " + Describe(answer));
                }
            }

            report.Check("each body of the fixed hostile list was refused (400, 413, 415 or 422)", saved == 0, firstSaved);

            Random random = new Random(seed + 1);
            Dictionary<int, int> statuses = new Dictionary<int, int>();
            int bad = 0;
            string firstBad = null;
            for (int i = 0; i < scale.HostileBodies; i++)
            {
                byte[] body = HostileBodies.Mutation(random);
                HttpAnswer answer = HttpAnswer.Send(port, HttpAnswer.Request(port, "POST", "/api/config", body, cookie, csrf));
                leaks.Inspect("body mutation " + i, answer);
                statuses.TryGetValue(answer.Status, out int n);
                statuses[answer.Status] = n + 1;
                if (Array.IndexOf(HostileBodies.Allowed, answer.Status) < 0)
                {
                    bad++;
                    firstBad ??= "body " + i + " (" + Printable(body) + "): " + Describe(answer);
                }
            }

            report.Figure("hostile_bodies", scale.HostileBodies, "seeded config bodies; answers: " + Histogram(statuses));
            report.Check("each mutated config body was saved or refused (200, 400, 413, 415, 422)", bad == 0, firstBad);
            HttpAnswer view = HttpAnswer.Json(port, "GET", "/api/config", null, cookie);
            leaks.Inspect("GET /api/config", view);
            report.Check("the config still reads back (GET /api/config 200)", view.Status == 200, Describe(view));
        }

        // The config file as the store wrote it: sealed, whole, valid JSON.
        private static JsonNode StoredConfig(Report report, PigeonHost host)
        {
            byte[] file = File.ReadAllBytes(host.ConfigPath);
            ConfigSealResult seal = ConfigSeal.Open(file, out byte[] document);
            JsonNode node = null;
            try
            {
                node = JsonNode.Parse(document ?? file);
            }
            catch (JsonException)
            {
            }

            report.Check("the config on disk is sealed and whole after the hostile bodies", seal == ConfigSealResult.Verified && node != null, seal.ToString());
            return node;
        }

        private static void SlowClients(Report report, Scale scale, int port, Leaks leaks)
        {
            // One stranger, more slow connections than the portal has slots.
            SlowlorisRound(report, scale, port, leaks, 1, 12);

            // Eight strangers with two each: more slow connections than slots, from as many
            // addresses as slots. They hold no slot (the host's gate hands over whole requests only).
            SlowlorisRound(report, scale, port, leaks, 8, 2);
        }

        private static void SlowlorisRound(Report report, Scale scale, int port, Leaks leaks, int addresses, int perAddress)
        {
            bool stop = false;
            int opened = 0;
            List<Thread> attackers = new List<Thread>();
            for (int a = 0; a < addresses; a++)
            {
                string from = Loopback.Address(2 + a);
                for (int c = 0; c < perAddress; c++)
                {
                    Thread t = Harness.Background("slowloris", () =>
                    {
                        // Renewed whenever the portal drops it, as a real slowloris does.
                        while (!Volatile.Read(ref stop))
                        {
                            try
                            {
                                using Socket s = Loopback.Connect(port, from);
                                Interlocked.Increment(ref opened);
                                Loopback.SendAll(s, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Slow: "));
                                while (!Volatile.Read(ref stop) && !Loopback.IsClosed(s))
                                {
                                    s.Send(new[] { (byte)'a' });
                                    Thread.Sleep(150);
                                }
                            }
                            catch (Exception e) when (e is SocketException || e is TimeoutException || e is ObjectDisposedException)
                            {
                                Thread.Sleep(50);
                            }
                        }
                    });
                    t.Start();
                    attackers.Add(t);
                }
            }

            Thread.Sleep(500); // the slow clients are in
            int tries = 0;
            int served = 0;
            int busy = 0;
            int other = 0;
            double slowest = 0;
            Stopwatch watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < scale.SlowlorisMs)
            {
                HttpAnswer answer = HttpAnswer.Send(port, HttpAnswer.Request(port, "GET", "/", Array.Empty<byte>()), Loopback.Legit, 5000);
                leaks.Inspect("the owner's GET / during slow clients", answer);
                tries++;
                slowest = Math.Max(slowest, answer.FirstByteMs < 0 ? 5000 : answer.FirstByteMs);
                if (answer.Status == 200)
                {
                    served++;
                }
                else if (answer.Status == 503)
                {
                    busy++;
                }
                else
                {
                    other++;
                }

                Thread.Sleep(250);
            }

            Volatile.Write(ref stop, true);
            foreach (Thread t in attackers)
            {
                t.Join(5000);
            }

            string who = addresses == 1 ? "one stranger with " + perAddress + " slow connections" : addresses + " strangers with " + perAddress + " slow connections each";
            string tag = addresses == 1 ? "slowloris_one_address" : "slowloris_" + addresses + "_addresses";
            report.Note(who + " (" + opened + " opened in all): the owner's " + tries + " GET / got " + served + " x 200, " + busy + " x 503, " + other + " other");
            report.Figure(tag + "_owner_served", tries == 0 ? 0 : 100.0 * served / tries, "% of the owner's requests answered 200");
            report.Figure(tag + "_owner_slowest_ms", slowest, "ms to the first byte of the slowest answer");
            report.Check(who + ": every owner's request was answered at once (200 or 503), none hung", other == 0 && slowest < 3000,
                other + " other answers, slowest " + Math.Round(slowest) + " ms");
            report.Check(who + ": the owner got the page every time", tries > 0 && served == tries, served + " of " + tries);
        }

        private static void StrangerGuesses(Report report, int port, Secrets secrets, Leaks leaks)
        {
            string stranger = Loopback.Address(2);
            int locked = 0;
            for (int i = 0; i < 8; i++)
            {
                HttpAnswer wrong = HttpAnswer.Json(port, "POST", "/api/login", "{\"password\":\"guess-" + i + "-wrong\"}", from: stranger);
                leaks.Inspect("a stranger's wrong password", wrong);
                locked += wrong.Status == 429 ? 1 : 0;
            }

            report.Check("a stranger guessing passwords is slowed down (429)", locked > 0, locked + " of 8 guesses answered 429");
            HttpAnswer owner = HttpAnswer.Json(port, "POST", "/api/login", "{\"password\":\"" + secrets.AdminPassword + "\"}");
            leaks.Inspect("the owner's login after the stranger's guesses", owner);
            report.Check("the owner still logs in right after a stranger's 8 wrong passwords", owner.Status == 200, Describe(owner));
        }

        private static string Describe(HttpAnswer answer)
        {
            if (answer.Status == 0)
            {
                return answer.Closed ? "closed without an answer" : "no answer and still open after 5 s";
            }

            string firstLine = answer.Raw.Substring(0, Math.Max(0, answer.Raw.IndexOf('\r')));
            string body = answer.Body.Length > 120 ? answer.Body.Substring(0, 120) + "..." : answer.Body;
            return firstLine + (answer.Closed ? string.Empty : " (not closed)") + (answer.Answers > 1 ? " (" + answer.Answers + " answers)" : string.Empty)
                + (body.Length > 0 && !body.StartsWith("<!", StringComparison.Ordinal) ? ": " + body.Replace("\n", " ") : string.Empty);
        }

        private static string Printable(byte[] bytes)
        {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < bytes.Length && i < 100; i++)
            {
                byte b = bytes[i];
                text.Append(b >= 0x20 && b < 0x7F ? ((char)b).ToString() : "\\x" + b.ToString("x2"));
            }

            return text.Append(bytes.Length > 100 ? "..." : string.Empty).ToString();
        }

        private static string Histogram(Dictionary<int, int> statuses)
        {
            List<int> keys = new List<int>(statuses.Keys);
            keys.Sort();
            List<string> parts = new List<string>();
            foreach (int key in keys)
            {
                parts.Add((key == 0 ? "closed" : key.ToString()) + " x" + statuses[key]);
            }

            return string.Join(", ", parts);
        }
    }
}
