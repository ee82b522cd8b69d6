namespace Pigeon.Reach
{
    /// <summary>
    /// A growing ASCII text buffer: nanoFramework's mscorlib has no StringBuilder (it lives in
    /// nanoFramework.System.Text), and requests, SOAP bodies and the metrics page are ASCII.
    /// Characters above 0x7E or below 0x20 (except CR, LF, tab) are written as '?', so nothing a
    /// router or a config sends can smuggle bytes into a header.
    /// </summary>
    public sealed class TextBuffer
    {
        private byte[] _bytes;
        private int _length;
        private readonly int _limit;

        /// <summary>Starts with <paramref name="capacity"/> bytes and never grows past <paramref name="limit"/>.</summary>
        public TextBuffer(int capacity, int limit)
        {
            _bytes = new byte[capacity < 16 ? 16 : capacity];
            _limit = limit < _bytes.Length ? _bytes.Length : limit;
        }

        /// <summary>The bytes written so far (valid up to <see cref="Length"/>).</summary>
        public byte[] Bytes
        {
            get { return _bytes; }
        }

        /// <summary>How many bytes were written.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>True once something did not fit under the limit (the text is then cut short).</summary>
        public bool Overflowed { get; private set; }

        /// <summary>Forgets the text (keeps the storage).</summary>
        public void Clear()
        {
            _length = 0;
            Overflowed = false;
        }

        /// <summary>Appends text.</summary>
        public TextBuffer Append(string text)
        {
            if (text == null)
            {
                return this;
            }

            if (!Ensure(text.Length))
            {
                return this;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool plain = (c >= (char)0x20 && c <= (char)0x7E) || c == '\r' || c == '\n' || c == '\t';
                _bytes[_length++] = plain ? (byte)c : (byte)'?';
            }

            return this;
        }

        /// <summary>Appends a whole number in decimal.</summary>
        public TextBuffer Append(long value)
        {
            return Append(value.ToString());
        }

        /// <summary>The text as a string (allocates).</summary>
        public override string ToString()
        {
            char[] chars = new char[_length];
            for (int i = 0; i < _length; i++)
            {
                chars[i] = (char)_bytes[i];
            }

            return new string(chars);
        }

        private bool Ensure(int more)
        {
            if (_length + more <= _bytes.Length)
            {
                return true;
            }

            if (_length + more > _limit)
            {
                Overflowed = true;
                return false;
            }

            int size = _bytes.Length * 2;
            while (size < _length + more)
            {
                size *= 2;
            }

            if (size > _limit)
            {
                size = _limit;
            }

            byte[] grown = new byte[size];
            System.Array.Copy(_bytes, 0, grown, 0, _length);
            _bytes = grown;
            return true;
        }
    }
}
