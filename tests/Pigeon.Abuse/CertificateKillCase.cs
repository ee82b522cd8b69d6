using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>
    /// kill -9 while the portal makes a new TLS certificate (issue 18, item 6): a logged-in
    /// browser asks for "new certificate" as fast as the portal answers, and the process is
    /// killed at a seeded moment. After each kill the pair on disk must be one pair, read the way
    /// Pigeon reads it (tls-key.pem holds the key and, since the fix, the certificate; before it,
    /// tls-certificate.pem beside it): the key must belong to the certificate. The restarted host
    /// must present exactly that certificate (not a new identity made because the pair was
    /// torn), which is the last one acknowledged or the one being made when it died.
    /// </summary>
    public static class CertificateKillCase
    {
        private const string CertificateFile = "tls-certificate.pem";
        private const string KeyFile = "tls-key.pem";

        /// <summary>Runs the case.</summary>
        public static void Run(Report report, Scale scale, int seed)
        {
            Secrets secrets = new Secrets(seed);
            int tlsPort = Loopback.FreePort();
            JsonObject config = Configs.Relay(4, 0, 0, 2, Configs.Tls("chat-tls", tlsPort, 9));
            secrets.WriteInto(config);
            string folder = PigeonHost.FolderOf("kill9-cert");
            int portalPort = PigeonHost.WriteConfig(folder, config);
            Random random = new Random(seed + 18);
            HashSet<string> acknowledged = new HashSet<string>();
            string lastAcked = null;
            int renewals = 0;
            int midRenewal = 0;
            int tookNew = 0;
            int torn = 0;
            int copyBehind = 0;
            int wrong = 0;
            string firstWrong = null;
            try
            {
                for (int round = 0; round <= scale.CertificateKills; round++)
                {
                    string onDisk = null;
                    string why = null;
                    if (round > 0)
                    {
                        onDisk = PairOnDisk(folder, out why, out bool behind);
                        copyBehind += behind ? 1 : 0;
                        if (onDisk == null)
                        {
                            torn++;
                        }
                    }

                    using PigeonHost host = new PigeonHost("kill9-cert", null, folder: folder) { PortalPort = portalPort };
                    host.Start();
                    string presented = Presented(tlsPort);
                    bool remade = host.Lines.Exists(l => l.Contains("could not be read", StringComparison.Ordinal) && l.Contains("made a new one", StringComparison.Ordinal));
                    if (round > 0)
                    {
                        bool known = presented == lastAcked || !acknowledged.Contains(presented ?? string.Empty);
                        bool ok = onDisk != null && presented == onDisk && !remade && known;
                        if (!ok)
                        {
                            wrong++;
                            firstWrong ??= "after kill " + round + ": pair on disk " + (onDisk ?? "torn (" + why + ")") + ", presented " + presented + (remade ? " (made anew)" : string.Empty)
                                + ", last acknowledged " + lastAcked;
                        }

                        tookNew += presented != null && presented != lastAcked && !acknowledged.Contains(presented) ? 1 : 0;
                    }

                    lastAcked ??= presented;
                    if (round == scale.CertificateKills)
                    {
                        int exit = host.Stop();
                        report.Check("a clean stop after the last restart (Ctrl+C, exit 0)", exit == 0, "exit code " + exit);
                        break;
                    }

                    string cookie = KillCase.Login(host, secrets, out string csrf);
                    if (cookie == null)
                    {
                        report.Check("the admin logs in after every restart", false, "refused after kill " + round);
                        break;
                    }

                    // Ask for new certificates as fast as the portal makes them; kill at a seeded moment.
                    bool inFlight = false;
                    string acked = lastAcked;
                    KillCase.KillDuring(host, random, "renewer", () =>
                    {
                        Volatile.Write(ref inFlight, true);
                        HttpAnswer answer = KillCase.PostUnlessKilled(portalPort, "/api/tls/new-certificate", "{}", cookie, csrf);
                        if (answer == null)
                        {
                            return false;
                        }

                        string sha;
                        try
                        {
                            sha = JsonNode.Parse(answer.Body)?["tls"]?["sha256"]?.GetValue<string>();
                        }
                        catch (JsonException)
                        {
                            return false; // killed after the status line, before the whole body
                        }

                        Volatile.Write(ref inFlight, false);
                        lock (acknowledged)
                        {
                            acknowledged.Add(sha);
                        }

                        Volatile.Write(ref acked, sha);
                        Interlocked.Increment(ref renewals);
                        return true;
                    });
                    lastAcked = acked;
                    midRenewal += Volatile.Read(ref inFlight) ? 1 : 0;
                }
            }
            finally
            {
                PigeonHost.Remove(folder);
            }

            report.Figure("kills", scale.CertificateKills, "kill -9 during new certificates");
            report.Figure("renewals_acknowledged", renewals, "new certificates answered 200 in all");
            report.Figure("kills_mid_renewal", midRenewal, "kills with a renewal asked for and not yet answered");
            report.Figure("new_pair_survived", tookNew, "restarts that found the unanswered renewal done");
            report.Figure("copy_behind", copyBehind, "kills that left tls-certificate.pem (the readable copy) behind the pair, repaired at the restart");
            report.Figure("torn_pairs", torn, "kills that left a key and a certificate that do not match");
            report.Check("after every kill the key on disk belongs to the certificate it is read with", torn == 0, torn + " of " + scale.CertificateKills + " kills");
            report.Check("after every kill the restarted host presents that pair (the last acknowledged or the one being made), never a new identity", wrong == 0, firstWrong);
        }

        // The SHA-256 of the certificate Pigeon would read with its key, or null (with the reason) when they do not match.
        private static string PairOnDisk(string folder, out string why, out bool copyBehind)
        {
            why = null;
            copyBehind = false;
            try
            {
                string key = File.ReadAllText(Path.Combine(folder, KeyFile));
                string copy = File.Exists(Path.Combine(folder, CertificateFile)) ? File.ReadAllText(Path.Combine(folder, CertificateFile)) : string.Empty;
                bool paired = key.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
                using X509Certificate2 pair = X509Certificate2.CreateFromPem(paired ? key : copy, key);
                if (paired)
                {
                    using X509Certificate2 readable = X509Certificate2.CreateFromPem(copy);
                    copyBehind = readable.Thumbprint != pair.Thumbprint;
                }

                return Hex(pair);
            }
            catch (Exception e) when (e is IOException || e is CryptographicException || e is ArgumentException)
            {
                why = e.Message;
                return null;
            }
        }

        private static string Presented(int port)
        {
            try
            {
                using Socket raw = Loopback.Connect(port);
                using SslStream tls = new SslStream(new NetworkStream(raw, false), false, (_, _, _, _) => true);
                tls.AuthenticateAsClient("example.org");
                return Hex(X509CertificateLoader.LoadCertificate(tls.RemoteCertificate.GetRawCertData()));
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is System.Security.Authentication.AuthenticationException)
            {
                return null;
            }
        }

        private static string Hex(X509Certificate2 certificate)
        {
            return Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).ToLowerInvariant();
        }
    }
}
