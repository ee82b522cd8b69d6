// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using System.Collections;
using Pigeon.Net;

namespace Pigeon.Tests.Support
{
    /// <summary>
    /// An <see cref="IConnection"/> that hands out scripted chunks of bytes, one per Receive, then
    /// 0 (the client finished) or -1 (reset), and records what was sent.
    /// </summary>
    public sealed class ScriptedConnection : IConnection
    {
        private readonly ArrayList _chunks = new ArrayList();
        private readonly byte[] _sent = new byte[65536];
        private int _next;
        private int _offsetInChunk;
        private int _sentCount;

        /// <summary>Creates a connection whose client, after the chunks added by Then, ends with <paramref name="endValue"/> (0 or -1).</summary>
        public ScriptedConnection(int endValue)
        {
            EndValue = endValue;
            IsOpen = true;
        }

        /// <summary>What Receive returns after the script: 0 (FIN) or -1 (reset).</summary>
        public int EndValue { get; set; }

        /// <summary>Receive calls made.</summary>
        public int Receives { get; private set; }

        /// <summary>True while scripted bytes are left to receive.</summary>
        public bool HasMore
        {
            get { return _next < _chunks.Count; }
        }

        /// <inheritdoc />
        public bool IsOpen { get; private set; }

        /// <inheritdoc />
        public uint RemoteAddress
        {
            get { return 0x7F000001; }
        }

        /// <inheritdoc />
        public int RemotePort
        {
            get { return 40000; }
        }

        /// <inheritdoc />
        public uint LocalAddress
        {
            get { return 0x7F000001; }
        }

        /// <inheritdoc />
        public int LocalPort
        {
            get { return 80; }
        }

        /// <summary>Adds a chunk the client sends.</summary>
        public ScriptedConnection Then(byte[] chunk)
        {
            _chunks.Add(chunk);
            return this;
        }

        /// <summary>Adds an ASCII chunk.</summary>
        public ScriptedConnection Then(string ascii)
        {
            return Then(Bytes.Ascii(ascii));
        }

        /// <summary>The bytes sent to the client, as ASCII text.</summary>
        public string SentText
        {
            get { return Bytes.Text(_sent, 0, _sentCount); }
        }

        /// <inheritdoc />
        public bool Connect(uint ipv4, int port)
        {
            return false;
        }

        /// <inheritdoc />
        public int Receive(byte[] buffer, int offset, int count)
        {
            Receives++;
            if (!IsOpen)
            {
                return -1;
            }

            if (_next >= _chunks.Count)
            {
                return EndValue;
            }

            byte[] chunk = (byte[])_chunks[_next];
            int n = chunk.Length - _offsetInChunk;
            if (n > count)
            {
                n = count;
            }

            System.Array.Copy(chunk, _offsetInChunk, buffer, offset, n);
            _offsetInChunk += n;
            if (_offsetInChunk == chunk.Length)
            {
                _next++;
                _offsetInChunk = 0;
            }

            return n;
        }

        /// <inheritdoc />
        public bool Send(byte[] buffer, int offset, int count)
        {
            if (!IsOpen || _sentCount + count > _sent.Length)
            {
                return false;
            }

            System.Array.Copy(buffer, offset, _sent, _sentCount, count);
            _sentCount += count;
            return true;
        }

        /// <inheritdoc />
        public bool ShutdownSend()
        {
            return false;
        }

        /// <inheritdoc />
        public void Close()
        {
            IsOpen = false;
        }
    }
}
