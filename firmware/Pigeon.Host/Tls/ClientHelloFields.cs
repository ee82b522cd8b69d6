using System;
using System.Text;

namespace Pigeon.Host.Tls
{
    /// <summary>
    /// The server name and whether "acme-tls/1" or "http/1.1" is offered, read from the bytes of a ClientHello
    /// (RFC 8446 §4.1.2; server_name RFC 6066 §3, type 0; application_layer_protocol_negotiation
    /// RFC 7301 §3.1, type 16: a list of length-prefixed protocol names). Consulted once per
    /// handshake by <see cref="CertificateStore.Choose"/> (ALPN, an ACME validation), so it may
    /// copy: the handshake is reassembled from its records first. Never throws; a hello that is
    /// cut short is <see cref="Complete"/> false with what was read.
    /// </summary>
    public readonly struct ClientHelloFields
    {
        private const int ServerNameType = 0;
        private const int AlpnType = 16;
        private static readonly byte[] s_acmeTls1 = Encoding.ASCII.GetBytes("acme-tls/1");
        private static readonly byte[] s_http11 = Encoding.ASCII.GetBytes("http/1.1");

        private ClientHelloFields(bool complete, string serverName, bool offersAcmeTls1, bool offersHttp11)
        {
            Complete = complete;
            ServerName = serverName;
            OffersAcmeTls1 = offersAcmeTls1;
            OffersHttp11 = offersHttp11;
        }

        /// <summary>The whole ClientHello was there.</summary>
        public bool Complete { get; }

        /// <summary>Its host_name, or null.</summary>
        public string ServerName { get; }

        /// <summary>Its ALPN extension lists "acme-tls/1".</summary>
        public bool OffersAcmeTls1 { get; }

        /// <summary>Its ALPN extension lists "http/1.1".</summary>
        public bool OffersHttp11 { get; }

        /// <summary>Reads the fields from TLS records starting at <paramref name="offset"/>.</summary>
        public static ClientHelloFields Parse(byte[] buffer, int offset, int count)
        {
            if (buffer == null || count < 5)
            {
                return default;
            }

            // Reassemble the handshake bytes from consecutive handshake records (0x16).
            byte[] handshake = new byte[count];
            int length = 0;
            int p = offset;
            int end = offset + count;
            while (p + 5 <= end && buffer[p] == 0x16)
            {
                int record = (buffer[p + 3] << 8) | buffer[p + 4];
                int take = Math.Min(record, end - (p + 5));
                Buffer.BlockCopy(buffer, p + 5, handshake, length, take);
                length += take;
                p += 5 + record;
            }

            if (length < 4 || handshake[0] != 0x01)
            {
                return default;
            }

            int body = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3];
            bool complete = length >= 4 + body;
            Cursor c = new Cursor(handshake, 4, Math.Min(length, 4 + body));
            c.Skip(2 + 32); // version, random
            c.Skip(c.Byte()); // session id
            c.Skip(c.Short()); // cipher suites
            c.Skip(c.Byte()); // compression methods
            int extensionsEnd = c.Short();
            extensionsEnd = c.Position + extensionsEnd;
            string name = null;
            bool acme = false;
            bool http11 = false;
            while (c.Ok && c.Position + 4 <= extensionsEnd)
            {
                int type = c.Short();
                int size = c.Short();
                int next = c.Position + size;
                if (type == ServerNameType)
                {
                    c.Skip(2); // list length
                    if (c.Byte() == 0)
                    {
                        int hostLength = c.Short();
                        name = c.Ascii(hostLength);
                    }
                }
                else if (type == AlpnType)
                {
                    int listEnd = c.Short();
                    listEnd = c.Position + listEnd;
                    while (c.Ok && c.Position < listEnd)
                    {
                        int protocol = c.Byte();
                        acme = acme || c.Is(s_acmeTls1, protocol);
                        http11 = http11 || c.Is(s_http11, protocol);
                        c.Skip(protocol);
                    }
                }

                c.Seek(next);
            }

            return new ClientHelloFields(complete && c.Ok, name, acme, http11);
        }

        // A bounds-checked reader: past the end it stops (Ok false) and reads zeros.
        private struct Cursor
        {
            private readonly byte[] _bytes;
            private readonly int _end;

            public Cursor(byte[] bytes, int start, int end)
            {
                _bytes = bytes;
                Position = start;
                _end = end;
                Ok = true;
            }

            public int Position { get; private set; }

            public bool Ok { get; private set; }

            public int Byte()
            {
                if (!Has(1))
                {
                    return 0;
                }

                return _bytes[Position++];
            }

            public int Short()
            {
                if (!Has(2))
                {
                    return 0;
                }

                int value = (_bytes[Position] << 8) | _bytes[Position + 1];
                Position += 2;
                return value;
            }

            public void Skip(int count)
            {
                if (Has(count))
                {
                    Position += count;
                }
            }

            public void Seek(int position)
            {
                if (position > _end)
                {
                    Ok = false;
                    Position = _end;
                    return;
                }

                Position = position;
            }

            public string Ascii(int count)
            {
                if (!Has(count))
                {
                    return null;
                }

                string text = Encoding.ASCII.GetString(_bytes, Position, count);
                Position += count;
                return text;
            }

            public bool Is(byte[] value, int count)
            {
                return count == value.Length && Has(count) && _bytes.AsSpan(Position, count).SequenceEqual(value);
            }

            private bool Has(int count)
            {
                if (Ok && Position + count <= _end)
                {
                    return true;
                }

                Ok = false;
                return false;
            }
        }
    }
}
