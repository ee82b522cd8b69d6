// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
namespace Pigeon.Tests.Support
{
    /// <summary>
    /// Builds TLS ClientHellos for tests: a well-formed one by default, with knobs for every
    /// malformation the reader must refuse, and a re-framer that splits the handshake into
    /// several records at chosen points.
    /// </summary>
    public sealed class HelloBuilder
    {
        /// <summary>The host name(s) in the server_name extension; null = no extension.</summary>
        public string[] Names = new string[] { "media.whatsapp.net" };

        /// <summary>GREASE cipher suite and extensions (RFC 8701) and an ECH-GREASE extension.</summary>
        public bool Grease = true;

        /// <summary>Padding extension bytes, to make a big (post-quantum sized) hello.</summary>
        public int Padding;

        /// <summary>Put the server_name extension last rather than first.</summary>
        public bool SniLast;

        /// <summary>Emit the server_name extension twice.</summary>
        public bool DuplicateSni;

        /// <summary>name_type of the entry (0 = host_name).</summary>
        public int NameType;

        /// <summary>Added to the extensions block length (to break it).</summary>
        public int ExtensionsLengthDelta;

        /// <summary>Added to the server_name list length (to break it).</summary>
        public int ListLengthDelta;

        /// <summary>Added to the handshake length (to break it).</summary>
        public int HandshakeLengthDelta;

        /// <summary>Session id length (0..32 legal).</summary>
        public int SessionIdLength = 32;

        /// <summary>Raw host bytes instead of <see cref="Names"/>[0] (for NUL and non-ASCII).</summary>
        public byte[] RawName;

        /// <summary>Omit the extensions block entirely (a pre-TLS-1.0-extensions hello).</summary>
        public bool NoExtensions;

        /// <summary>Protocols of an ALPN extension (RFC 7301), after supported_versions; null = no extension.</summary>
        public string[] Alpn;

        /// <summary>The handshake message (type, length, body) without record framing.</summary>
        public byte[] Handshake()
        {
            ByteWriter body = new ByteWriter();
            body.U16(0x0303).Fill(0x11, 32);
            body.U8(SessionIdLength).Fill(0x22, SessionIdLength);
            int suites = Grease ? 4 : 3;
            body.U16(suites * 2);
            if (Grease)
            {
                body.U16(0x0A0A);
            }

            body.U16(0x1301).U16(0x1302).U16(0xC02F);
            body.U8(1).U8(0);

            if (!NoExtensions)
            {
                ByteWriter ext = new ByteWriter();
                if (Grease)
                {
                    ext.U16(0x1A1A).U16(0); // GREASE extension, empty
                }

                if (!SniLast)
                {
                    WriteSni(ext);
                }

                ext.U16(0x000A).U16(4).U16(2).U16(0x001D); // supported_groups: x25519
                ext.U16(0x002B).U16(3).U8(2).U16(0x0304); // supported_versions: TLS 1.3
                if (Alpn != null)
                {
                    ByteWriter list = new ByteWriter();
                    for (int i = 0; i < Alpn.Length; i++)
                    {
                        byte[] name = Bytes.Ascii(Alpn[i]);
                        list.U8(name.Length).Raw(name);
                    }

                    byte[] listBytes = list.ToArray();
                    ext.U16(0x0010).U16(listBytes.Length + 2).U16(listBytes.Length).Raw(listBytes);
                }

                if (Grease)
                {
                    ext.U16(0xFE0D).U16(9).U8(0).U16(1).U16(1).U8(0x5A).U16(0).U8(0); // ECH GREASE-like
                }

                if (Padding > 0)
                {
                    ext.U16(0x0015).U16(Padding).Fill(0, Padding);
                }

                if (SniLast)
                {
                    WriteSni(ext);
                }

                if (DuplicateSni)
                {
                    WriteSni(ext);
                }

                byte[] extBytes = ext.ToArray();
                body.U16(extBytes.Length + ExtensionsLengthDelta).Raw(extBytes);
            }

            byte[] bodyBytes = body.ToArray();
            return new ByteWriter().U8(0x01).U24(bodyBytes.Length + HandshakeLengthDelta).Raw(bodyBytes).ToArray();
        }

        /// <summary>The hello in one TLS record.</summary>
        public byte[] Build()
        {
            return Frame(Handshake(), new int[0]);
        }

        /// <summary>
        /// Frames handshake bytes as TLS records, cutting a new record at each offset in
        /// <paramref name="cuts"/> (ascending offsets into the handshake bytes).
        /// </summary>
        public static byte[] Frame(byte[] handshake, int[] cuts)
        {
            ByteWriter w = new ByteWriter();
            int start = 0;
            for (int i = 0; i <= cuts.Length; i++)
            {
                int end = i < cuts.Length ? cuts[i] : handshake.Length;
                if (end <= start)
                {
                    continue;
                }

                w.U8(0x16).U16(i == 0 ? 0x0301 : 0x0303).U16(end - start);
                byte[] part = new byte[end - start];
                System.Array.Copy(handshake, start, part, 0, part.Length);
                w.Raw(part);
                start = end;
            }

            return w.ToArray();
        }

        /// <summary>Offset of the first byte of <paramref name="name"/> in <paramref name="data"/>, or -1.</summary>
        public static int IndexOf(byte[] data, string name)
        {
            byte[] n = Bytes.Ascii(name);
            for (int i = 0; i + n.Length <= data.Length; i++)
            {
                int j = 0;
                while (j < n.Length && data[i + j] == n[j])
                {
                    j++;
                }

                if (j == n.Length)
                {
                    return i;
                }
            }

            return -1;
        }

        private void WriteSni(ByteWriter ext)
        {
            if (Names == null && RawName == null)
            {
                return;
            }

            ByteWriter list = new ByteWriter();
            if (RawName != null)
            {
                list.U8(NameType).U16(RawName.Length).Raw(RawName);
            }
            else
            {
                for (int i = 0; i < Names.Length; i++)
                {
                    byte[] name = Bytes.Ascii(Names[i]);
                    list.U8(NameType).U16(name.Length).Raw(name);
                }
            }

            byte[] listBytes = list.ToArray();
            ext.U16(0x0000).U16(listBytes.Length + 2).U16(listBytes.Length + ListLengthDelta).Raw(listBytes);
        }
    }
}
