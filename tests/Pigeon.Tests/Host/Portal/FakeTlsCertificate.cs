using System;
using Pigeon.Json;
using Pigeon.Portal;

namespace Pigeon.Tests.Host.Portal
{
    /// <summary>
    /// A certificate source with fixed values; a made one renews to a new name and fingerprint, a
    /// configured one refuses as the host does. Host-only, like the TLS it stands for (a board
    /// terminates none; TlsStatusWriter is the host's).
    /// </summary>
    public sealed class FakeTlsCertificate : ITlsCertificate
    {
        /// <summary>The host's reason for a configured certificate.</summary>
        public const string ConfiguredReason = "the config names its own certificate (relay.tlsCertificateFile); replace that file instead";

        /// <summary>A certificate Pigeon made (<paramref name="made"/>) or the config's own.</summary>
        public FakeTlsCertificate(bool made)
        {
            Made = made;
            Name = "kq7vhzmt.net";
            Fingerprint = "3f0a5e2c9b7d41e8a6c0f3b2d9e8175a4c6b0e2f9d8a7c6b5e4f3a2b1c0d9e8f";
        }

        /// <summary>True when Pigeon made it.</summary>
        public bool Made { get; private set; }

        /// <summary>The name in it.</summary>
        public string Name { get; private set; }

        /// <summary>Its SHA-256, lower-case hex.</summary>
        public string Fingerprint { get; private set; }

        /// <summary>How many times it was renewed.</summary>
        public int Renewals { get; private set; }

        /// <inheritdoc />
        public void WriteStatus(JsonWriter json)
        {
            TlsStatusWriter.Write(json, Name, Fingerprint, new DateTime(2026, 3, 2, 10, 4, 11), new DateTime(2027, 3, 20, 9, 5, 7), Made);
        }

        /// <inheritdoc />
        public bool Renew(out string error)
        {
            if (!Made)
            {
                error = ConfiguredReason;
                return false;
            }

            error = null;
            Renewals++;
            Name = "renewed" + Renewals.ToString() + ".example";
            Fingerprint = "0" + Renewals.ToString() + Fingerprint.Substring(2); // a new one each time (under ten)
            return true;
        }
    }
}
