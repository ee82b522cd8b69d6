// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
namespace Pigeon.Tests.Support
{
    /// <summary>A growable byte buffer for building wire-format test inputs (no generics).</summary>
    public sealed class ByteWriter
    {
        private byte[] _data = new byte[256];

        /// <summary>Bytes written so far.</summary>
        public int Length { get; private set; }

        /// <summary>Appends one byte.</summary>
        public ByteWriter U8(int value)
        {
            Ensure(1);
            _data[Length++] = (byte)value;
            return this;
        }

        /// <summary>Appends a big-endian 16-bit value.</summary>
        public ByteWriter U16(int value)
        {
            return U8(value >> 8).U8(value);
        }

        /// <summary>Appends a big-endian 24-bit value.</summary>
        public ByteWriter U24(int value)
        {
            return U8(value >> 16).U8(value >> 8).U8(value);
        }

        /// <summary>Appends bytes.</summary>
        public ByteWriter Raw(byte[] bytes)
        {
            Ensure(bytes.Length);
            System.Array.Copy(bytes, 0, _data, Length, bytes.Length);
            Length += bytes.Length;
            return this;
        }

        /// <summary>Appends <paramref name="count"/> copies of a byte.</summary>
        public ByteWriter Fill(int value, int count)
        {
            for (int i = 0; i < count; i++)
            {
                U8(value);
            }

            return this;
        }

        /// <summary>A copy of the bytes written.</summary>
        public byte[] ToArray()
        {
            return Bytes.Prefix(_data, Length);
        }

        private void Ensure(int more)
        {
            if (Length + more <= _data.Length)
            {
                return;
            }

            int size = _data.Length * 2;
            while (size < Length + more)
            {
                size *= 2;
            }

            byte[] bigger = new byte[size];
            System.Array.Copy(_data, 0, bigger, 0, Length);
            _data = bigger;
        }
    }
}
