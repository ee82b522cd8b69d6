using System;
using System.Collections.Generic;
using System.Text;

namespace Pigeon.Abuse
{
    /// <summary>
    /// The one way the suite makes hostile input from good input: seeded edits of a well-formed
    /// message (HTTP request, config body, DNS query), plus random bytes and small byte helpers.
    /// </summary>
    public static class Mutator
    {
        /// <summary>
        /// Applies <paramref name="edits"/> seeded edits to <paramref name="bytes"/>: a byte
        /// changed, a byte inserted, a byte removed, the rest cut off, one of
        /// <paramref name="tokens"/> inserted, or a stretch repeated (a key twice, say).
        /// </summary>
        public static byte[] Edit(byte[] message, Random random, int edits, byte[][] tokens)
        {
            List<byte> bytes = new List<byte>(message);
            for (int e = 0; e < edits && bytes.Count > 0; e++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(6))
                {
                    case 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes.Insert(at, (byte)random.Next(256));
                        break;
                    case 2:
                        bytes.RemoveAt(at);
                        break;
                    case 3:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                    case 4:
                        bytes.InsertRange(at, tokens[random.Next(tokens.Length)]);
                        break;
                    default:
                        bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16))));
                        break;
                }
            }

            return bytes.ToArray();
        }

        /// <summary>Tokens for <see cref="Edit"/> from text (UTF-8).</summary>
        public static byte[][] Tokens(params string[] texts)
        {
            byte[][] tokens = new byte[texts.Length][];
            for (int i = 0; i < texts.Length; i++)
            {
                tokens[i] = Encoding.UTF8.GetBytes(texts[i]);
            }

            return tokens;
        }

        /// <summary>Random bytes.</summary>
        public static byte[] Junk(Random random, int length)
        {
            byte[] junk = new byte[length];
            random.NextBytes(junk);
            return junk;
        }

        /// <summary>The parts one after the other.</summary>
        public static byte[] Cat(params byte[][] parts)
        {
            List<byte> all = new List<byte>();
            foreach (byte[] part in parts)
            {
                all.AddRange(part);
            }

            return all.ToArray();
        }

        /// <summary><paramref name="text"/> <paramref name="times"/> times.</summary>
        public static string Repeat(string text, int times)
        {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < times; i++)
            {
                all.Append(text);
            }

            return all.ToString();
        }
    }
}
