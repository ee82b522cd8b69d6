using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The secrets a volunteer's config holds (admin password and its hash, Wi-Fi, access-point and
    /// dynamic-DNS passwords, the metrics token), made from a seed, written into a config, and
    /// looked for in everything the portal answers or the host prints.
    /// </summary>
    public sealed class Secrets
    {
        /// <summary>Iterations of the admin hash written into the config: few, so logins are cheap in tests.</summary>
        public const int HashIterations = 1000;

        /// <summary>Secrets made from <paramref name="seed"/>.</summary>
        public Secrets(int seed)
        {
            Random random = new Random(seed);
            AdminPassword = "admin-" + Hex(random, 8);
            Wifi = "wifi-" + Hex(random, 8);
            SetupAp = "ap-" + Hex(random, 8);
            DynDns = "dyn-" + Hex(random, 8);
            MetricsToken = "token-" + Hex(random, 12);
            byte[] salt = new byte[16];
            random.NextBytes(salt);
            byte[] key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(AdminPassword), salt, HashIterations, HashAlgorithmName.SHA256, 32);
            PasswordSalt = Convert.ToBase64String(salt);
            PasswordHash = "pbkdf2-sha256$" + HashIterations + "$" + Convert.ToBase64String(key);
        }

        /// <summary>The portal's admin password.</summary>
        public string AdminPassword { get; }

        /// <summary>The Wi-Fi password.</summary>
        public string Wifi { get; }

        /// <summary>The setup access point's password.</summary>
        public string SetupAp { get; }

        /// <summary>The dynamic-DNS password.</summary>
        public string DynDns { get; }

        /// <summary>network.metricsToken.</summary>
        public string MetricsToken { get; }

        /// <summary>admin.passwordHash as stored.</summary>
        public string PasswordHash { get; }

        /// <summary>admin.passwordSalt as stored.</summary>
        public string PasswordSalt { get; }

        /// <summary>Puts every secret into <paramref name="config"/> (wifi, setupAp, admin, network).</summary>
        public void WriteInto(JsonObject config)
        {
            config["wifi"] = new JsonObject { ["ssid"] = "home", ["password"] = Wifi };
            config["setupAp"] = new JsonObject { ["password"] = SetupAp };
            config["admin"] = new JsonObject { ["passwordHash"] = PasswordHash, ["passwordSalt"] = PasswordSalt };
            config["network"] = new JsonObject
            {
                ["portMapping"] = false,
                ["dynDnsUrl"] = "https://dyndns.example/update",
                ["dynDnsUser"] = "volunteer",
                ["dynDnsPassword"] = DynDns,
                ["metricsToken"] = MetricsToken,
            };
        }

        /// <summary>The name of the first secret found in <paramref name="text"/> (the hash by its key part), or null.</summary>
        public string FoundIn(string text)
        {
            foreach (KeyValuePair<string, string> secret in All())
            {
                if (text.Contains(secret.Value, StringComparison.Ordinal))
                {
                    return secret.Key;
                }
            }

            return null;
        }

        private IEnumerable<KeyValuePair<string, string>> All()
        {
            yield return new KeyValuePair<string, string>("the admin password", AdminPassword);
            yield return new KeyValuePair<string, string>("the Wi-Fi password", Wifi);
            yield return new KeyValuePair<string, string>("the access point's password", SetupAp);
            yield return new KeyValuePair<string, string>("the dynamic-DNS password", DynDns);
            yield return new KeyValuePair<string, string>("the metrics token", MetricsToken);
            yield return new KeyValuePair<string, string>("the admin hash", PasswordHash.Substring(PasswordHash.LastIndexOf('$') + 1));
            yield return new KeyValuePair<string, string>("the admin salt", PasswordSalt);
        }

        private static string Hex(Random random, int bytes)
        {
            byte[] b = new byte[bytes];
            random.NextBytes(b);
            return Convert.ToHexString(b).ToLowerInvariant();
        }
    }
}
