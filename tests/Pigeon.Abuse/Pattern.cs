using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Pigeon.Abuse
{
    /// <summary>
    /// A reproducible byte stream from a seed (xorshift64*), hashed with SHA-256 as it is made,
    /// so a sender and a receiver can each hash their side of a transfer and compare.
    /// </summary>
    public sealed class Pattern
    {
        private ulong _state;
        private ulong _word;
        private int _wordLeft;

        /// <summary>The stream for <paramref name="seed"/>.</summary>
        public Pattern(long seed)
        {
            _state = (ulong)seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;
            if (_state == 0)
            {
                _state = 1;
            }
        }

        /// <summary>Fills <paramref name="buffer"/>[offset, offset+count) with the next bytes of the stream.</summary>
        public void Fill(byte[] buffer, int offset, int count)
        {
            while (count > 0 && _wordLeft > 0)
            {
                buffer[offset++] = (byte)_word;
                _word >>= 8;
                _wordLeft--;
                count--;
            }

            while (count >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(offset, 8), Next());
                offset += 8;
                count -= 8;
            }

            if (count > 0)
            {
                _word = Next();
                _wordLeft = 8;
                while (count > 0)
                {
                    buffer[offset++] = (byte)_word;
                    _word >>= 8;
                    _wordLeft--;
                    count--;
                }
            }
        }

        /// <summary>The SHA-256 of the first <paramref name="length"/> bytes of the stream for <paramref name="seed"/>.</summary>
        public static string HashOfPrefix(long seed, long length)
        {
            Pattern pattern = new Pattern(seed);
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] chunk = new byte[65536];
            while (length > 0)
            {
                int n = (int)Math.Min(chunk.Length, length);
                pattern.Fill(chunk, 0, n);
                hash.AppendData(chunk, 0, n);
                length -= n;
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }

        private ulong Next()
        {
            ulong x = _state;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            _state = x;
            return x * 0x2545F4914F6CDD1DUL;
        }
    }
}
