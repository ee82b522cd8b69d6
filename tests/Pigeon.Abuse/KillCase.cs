using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Pigeon.Config;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// kill -9 while the portal saves the config, again and again: a logged-in browser saves a new
    /// network.publicHost as fast as the portal takes it, and the process is killed at a seeded
    /// moment. After each kill the config on disk must be whole and sealed, and the restarted host
    /// must hold the last acknowledged value or the one being saved when it died (old or new,
    /// never torn, never an older one), with the admin password intact.
    /// </summary>
    public static class KillCase
    {
        private const string Initial = "start.example";

        private static string s_inFlight; // the save sent and not yet answered (null: none)

        /// <summary>Runs the case.</summary>
        public static void Run(Report report, Scale scale, int seed)
        {
            Secrets secrets = new Secrets(seed);
            JsonObject config = Configs.Relay(4, 0, 0, 2, Configs.Chat("chat", Loopback.FreePort(), 9));
            secrets.WriteInto(config);
            config["network"]["publicHost"] = Initial;
            string folder = PigeonHost.FolderOf("kill9");
            int portalPort = PigeonHost.WriteConfig(folder, config);
            Random random = new Random(seed);
            string acked = Initial;
            int saves = 0;
            int midSave = 0;
            int tookNew = 0;
            int wrong = 0;
            string firstWrong = null;
            bool ownerOnly = true;
            int ownerChecks = 0;
            string mode = null;
            try
            {
                for (int round = 0; round <= scale.Kills; round++)
                {
                    using PigeonHost host = new PigeonHost("kill9", null, folder: folder) { PortalPort = portalPort };
                    host.Start();
                    string cookie = Login(host, secrets, out string csrf);
                    string loaded = cookie == null ? null : PublicHost(host, cookie);
                    string onDisk = Stored(host.ConfigPath, out string seal);
                    string pending = Volatile.Read(ref s_inFlight);
                    bool sound = seal == nameof(ConfigSealResult.Verified) || (seal == nameof(ConfigSealResult.Unsealed) && loaded == Initial);
                    bool ok = cookie != null && loaded != null && (loaded == acked || loaded == pending) && onDisk == loaded && sound;
                    if (!ok)
                    {
                        wrong++;
                        firstWrong ??= "after kill " + round + ": login " + (cookie != null ? "ok" : "refused") + ", loaded " + loaded + ", on disk " + onDisk + " (" + seal
                            + "), last acknowledged " + acked + ", being saved " + pending;
                    }

                    tookNew += loaded != null && loaded == pending && pending != acked ? 1 : 0;
                    if (loaded != null && loaded != Initial)
                    {
                        // Saved by Pigeon (the first copy was written by hand, as a user would, and stays as it was until rewritten).
                        CheckOwnerOnly(host.ConfigPath, ref ownerOnly, ref mode);
                        ownerChecks++;
                    }

                    if (round == scale.Kills || cookie == null)
                    {
                        int exit = host.Stop();
                        report.Check("a clean stop after the last restart (Ctrl+C, exit 0)", exit == 0, "exit code " + exit);
                        break;
                    }

                    // Save as fast as the portal takes it; kill at a seeded moment.
                    Volatile.Write(ref s_inFlight, null);
                    string lastAcked = acked;
                    int n = 0;
                    KillDuring(host, random, "saver", () =>
                    {
                        string value = "save-" + round + "-" + n++ + ".example";
                        Volatile.Write(ref s_inFlight, value);
                        if (PostUnlessKilled(portalPort, "/api/config", "{\"network\":{\"publicHost\":\"" + value + "\"}}", cookie, csrf) == null)
                        {
                            return false;
                        }

                        Volatile.Write(ref lastAcked, value);
                        Interlocked.Increment(ref saves);
                        return true;
                    });
                    acked = lastAcked;
                    string inFlight = Volatile.Read(ref s_inFlight);
                    midSave += inFlight != null && inFlight != acked ? 1 : 0;
                }
            }
            finally
            {
                PigeonHost.Remove(folder);
            }

            report.Figure("kills", scale.Kills, "kill -9 during saves");
            report.Figure("saves_acknowledged", saves, "saves answered 200 in all");
            report.Figure("kills_mid_save", midSave, "kills with a save sent but not yet answered");
            report.Figure("new_value_survived", tookNew, "of those, restarts that found the unanswered save done");
            report.Check("after every kill the config was whole, sealed, and the last saved value or the one being saved; the admin password held", wrong == 0, firstWrong);
            report.Check("config.json and its backup are owner-only (0600) once Pigeon has saved them", ownerOnly && ownerChecks > 0, mode ?? ownerChecks + " restarts looked");
        }

        /// <summary>
        /// Runs <paramref name="attempt"/> again and again on a background thread until it returns
        /// false, and kill -9s the host at a seeded moment (20 to 320 ms in) meanwhile; returns once
        /// the thread has ended.
        /// </summary>
        internal static void KillDuring(PigeonHost host, Random random, string name, Func<bool> attempt)
        {
            bool stop = false;
            Thread worker = Harness.Background(name, () =>
            {
                while (!Volatile.Read(ref stop) && attempt())
                {
                }
            });
            worker.Start();
            Thread.Sleep(20 + random.Next(300));
            host.Kill();
            Volatile.Write(ref stop, true);
            worker.Join();
        }

        /// <summary>
        /// POSTs <paramref name="body"/> to <paramref name="path"/> as the logged-in admin; the
        /// answer, or null when the host was killed before it answered or in the middle of it.
        /// </summary>
        internal static HttpAnswer PostUnlessKilled(int port, string path, string body, string cookie, string csrf)
        {
            HttpAnswer answer;
            try
            {
                answer = HttpAnswer.Json(port, "POST", path, body, cookie, csrf);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || e is TimeoutException)
            {
                return null; // killed
            }

            return answer.Status == 200 ? answer : null; // else killed mid-answer
        }

        /// <summary>Logs the admin in; the session cookie (null when refused) and its CSRF token.</summary>
        internal static string Login(PigeonHost host, Secrets secrets, out string csrf)
        {
            csrf = null;
            HttpAnswer answer = HttpAnswer.Json(host.PortalPort, "POST", "/api/login", "{\"password\":\"" + secrets.AdminPassword + "\"}");
            string cookie = answer.Header("Set-Cookie");
            if (answer.Status != 200 || cookie == null)
            {
                return null;
            }

            using JsonDocument body = JsonDocument.Parse(answer.Body);
            csrf = body.RootElement.GetProperty("csrf").GetString();
            return cookie.Substring(0, cookie.IndexOf(';'));
        }

        private static string PublicHost(PigeonHost host, string cookie)
        {
            HttpAnswer answer = HttpAnswer.Json(host.PortalPort, "GET", "/api/config", null, cookie);
            if (answer.Status != 200)
            {
                return null;
            }

            return (string)JsonNode.Parse(answer.Body)?["network"]?["publicHost"];
        }

        // network.publicHost of config.json as stored, or null when the file is missing, torn or unsealed.
        private static string Stored(string path, out string seal)
        {
            seal = "missing";
            if (!File.Exists(path))
            {
                return null;
            }

            byte[] file = File.ReadAllBytes(path);
            ConfigSealResult result = ConfigSeal.Open(file, out byte[] document);
            seal = result.ToString();
            try
            {
                // Unsealed: the copy written by hand before the first save (trusted if it parses).
                return result == ConfigSealResult.Damaged ? null : (string)JsonNode.Parse(document ?? file)?["network"]?["publicHost"];
            }
            catch (JsonException)
            {
                seal += ", not JSON";
                return null;
            }
        }

        private static void CheckOwnerOnly(string path, ref bool ownerOnly, ref string mode)
        {
            foreach (string file in new[] { path, path + ".bak" })
            {
                if (File.Exists(file))
                {
                    UnixFileMode m = File.GetUnixFileMode(file);
                    if ((m & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
                    {
                        ownerOnly = false;
                        mode ??= Path.GetFileName(file) + " is " + Convert.ToString((int)m, 8);
                    }
                }
            }
        }
    }
}
