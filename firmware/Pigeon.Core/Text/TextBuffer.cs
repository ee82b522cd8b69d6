namespace Pigeon.Text
{
    /// <summary>
    /// A growing byte buffer for text (nanoFramework's mscorlib has no StringBuilder: it lives in
    /// nanoFramework.System.Text): router requests, SOAP bodies, the metrics page, JSON. Two ways
    /// in: <see cref="Append(string)"/> writes ASCII only, every character above 0x7E or below
    /// 0x20 (except CR, LF, tab) as '?', so nothing a router or a config sends can smuggle bytes
    /// into a header; <see cref="AppendCodePoint"/> writes any character as UTF-8, for bodies whose
    /// writer has escaped what needs escaping (<see cref="Pigeon.Json.JsonWriter"/>).
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

        /// <summary>Appends ASCII text (anything else as '?').</summary>
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

        /// <summary>Appends one character as its UTF-8 bytes (1-4), whatever it is.</summary>
        public void AppendCodePoint(int codePoint)
        {
            if (Ensure(4))
            {
                _length += Utf8.EncodeCodePoint(codePoint, _bytes, _length);
            }
        }

        /// <summary>The exact bytes written (a copy).</summary>
        public byte[] ToArray()
        {
            byte[] copy = new byte[_length];
            System.Array.Copy(_bytes, 0, copy, 0, _length);
            return copy;
        }

        /// <summary>The text as a string (allocates; decodes UTF-8).</summary>
        public override string ToString()
        {
            return Utf8.Decode(_bytes, 0, _length) ?? string.Empty;
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
