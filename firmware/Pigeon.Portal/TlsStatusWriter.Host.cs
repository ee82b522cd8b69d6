using System;
using Pigeon.Json;

namespace Pigeon.Portal
{
    /// <summary>
    /// The "tls" object of /api/status: what anyone who connects sees anyway, never the key.
    /// <code>
    /// {"name":"kq7vhzmt.net","sha256":"3f0a...","notBefore":"2026-03-02T10:04:11Z","notAfter":"2027-03-20T10:04:11Z","made":true}
    /// </code>
    /// made: Pigeon made it and can replace it (false: the config's own PEM files). From a
    /// <see cref="TlsStatus"/> the object also says where it comes from and, with ACME, how that
    /// goes:
    /// <code>
    /// {..., "source":"acme", "issuer":"R11", "acme":{"name":"relay.example.org","state":"ok","nextAttempt":"2027-01-19T10:04:11Z"}}
    /// {..., "source":"made", "issuer":"kq7vhzmt.net", "acme":{"name":"relay.example.org","state":"failed","error":"...","nextAttempt":"..."}}
    /// {..., "source":"files", "issuer":"R11", "problem":"the new files were not taken (...)"}
    /// </code>
    /// Host only (the board's assembly leaves *.Host.cs out: a board terminates no TLS).
    /// </summary>
    public static class TlsStatusWriter
    {
        /// <summary>Writes the object; dates in UTC.</summary>
        public static void Write(JsonWriter json, string name, string sha256, DateTime notBefore, DateTime notAfter, bool made)
        {
            json.BeginObject().Member("name", name).Member("sha256", sha256).Member("notBefore", Iso(notBefore))
                .Member("notAfter", Iso(notAfter)).Member("made", made).EndObject();
        }

        /// <summary>Writes the object from <paramref name="status"/>.</summary>
        public static void Write(JsonWriter json, TlsStatus status)
        {
            json.BeginObject().Member("name", status.Name).Member("sha256", status.Sha256).Member("notBefore", Iso(status.NotBefore))
                .Member("notAfter", Iso(status.NotAfter)).Member("made", status.Made).Member("source", status.Source).Member("issuer", status.Issuer);
            if (status.Problem != null)
            {
                json.Member("problem", status.Problem);
            }

            if (status.AcmeName != null)
            {
                json.Name("acme").BeginObject().Member("name", status.AcmeName).Member("state", status.AcmeState);
                if (status.AcmeProblem != null)
                {
                    json.Member("error", status.AcmeProblem);
                }

                json.Member("nextAttempt", Iso(status.AcmeNextAttempt)).EndObject();
            }

            json.EndObject();
        }

        /// <summary>ISO 8601 in UTC to the second: "2027-03-20T10:04:11Z".</summary>
        public static string Iso(DateTime utc)
        {
            char[] c = new char[20];
            Digits(c, 0, utc.Year, 4);
            c[4] = '-';
            Digits(c, 5, utc.Month, 2);
            c[7] = '-';
            Digits(c, 8, utc.Day, 2);
            c[10] = 'T';
            Digits(c, 11, utc.Hour, 2);
            c[13] = ':';
            Digits(c, 14, utc.Minute, 2);
            c[16] = ':';
            Digits(c, 17, utc.Second, 2);
            c[19] = 'Z';
            return new string(c);
        }

        private static void Digits(char[] into, int offset, int value, int count)
        {
            for (int i = offset + count - 1; i >= offset; i--)
            {
                into[i] = (char)('0' + (value % 10));
                value /= 10;
            }
        }
    }
}
