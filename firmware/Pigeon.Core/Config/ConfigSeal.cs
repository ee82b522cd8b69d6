namespace Pigeon.Config
{
    /// <summary>
    /// The checksum a stored copy ends with, kept inside the JSON so the file stays a valid,
    /// readable config:
    /// <code>
    /// {                                   \
    ///   "schemaVersion": 1,                |  covered: CRC-32 of these bytes (up to, not
    ///   ...                                |  including, the comma before "checksum")
    ///   "network": { ... }                /
    ///   ,"checksum": "crc32:1a2b3c4d"      <- seal (fixed shape, 8 lower-case hex digits)
    /// }
    /// </code>
    /// (written exactly as <c>",\n  \"checksum\": \"crc32:xxxxxxxx\"\n}\n"</c> after the last member).
    /// A file whose last bytes look like a seal (at most 4 bytes off the fixed shape) is treated as
    /// sealed, so a bit flip inside the seal itself is caught too, not mistaken for a hand-written
    /// file; any flip elsewhere changes the CRC.
    /// </summary>
    public static class ConfigSeal
    {
        /// <summary>The seal's key; reserved at the top level of the document.</summary>
        public const string ChecksumKey = "checksum";

        private const string Template = ",\n  \"checksum\": \"crc32:________\"\n}\n";
        private const int HexStart = 23; // index of the first '_' above
        private const string Close = "\n}\n";
        private const int Tolerance = 4;

        /// <summary>Adds the seal to a document written by <see cref="ConfigDocument.Write"/> (which ends with "\n}\n").</summary>
        public static byte[] Seal(byte[] document)
        {
            int body = document.Length - Close.Length; // drop "\n}\n"
            byte[] sealedCopy = new byte[body + Template.Length];
            System.Array.Copy(document, sealedCopy, body);
            uint crc = Crc32.Compute(document, 0, body);
            for (int i = 0; i < Template.Length; i++)
            {
                sealedCopy[body + i] = (byte)Template[i];
            }

            for (int i = 0; i < 8; i++)
            {
                int nibble = (int)((crc >> (28 - (4 * i))) & 0xF);
                sealedCopy[body + HexStart + i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
            }

            return sealedCopy;
        }

        /// <summary>
        /// Checks a stored copy. For <see cref="ConfigSealResult.Verified"/>, <paramref name="document"/>
        /// is the JSON without the seal; for <see cref="ConfigSealResult.Unsealed"/> the file as it is.
        /// </summary>
        public static ConfigSealResult Open(byte[] file, out byte[] document)
        {
            document = null;
            if (file == null)
            {
                return ConfigSealResult.Damaged;
            }

            int body = file.Length - Template.Length;
            if (body < 1)
            {
                document = file;
                return ConfigSealResult.Unsealed;
            }

            int mismatches = 0;
            uint stored = 0;
            for (int i = 0; i < Template.Length; i++)
            {
                byte b = file[body + i];
                if (i >= HexStart && i < HexStart + 8)
                {
                    int v = b >= '0' && b <= '9' ? b - '0' : (b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1);
                    if (v < 0)
                    {
                        mismatches++;
                    }
                    else
                    {
                        stored = (stored << 4) | (uint)v;
                    }
                }
                else if (b != (byte)Template[i])
                {
                    mismatches++;
                }
            }

            if (mismatches > Tolerance)
            {
                document = file;
                return ConfigSealResult.Unsealed;
            }

            if (mismatches > 0 || Crc32.Compute(file, 0, body) != stored)
            {
                return ConfigSealResult.Damaged;
            }

            document = new byte[body + Close.Length];
            System.Array.Copy(file, document, body);
            for (int i = 0; i < Close.Length; i++)
            {
                document[body + i] = (byte)Close[i];
            }

            return ConfigSealResult.Verified;
        }
    }
}
