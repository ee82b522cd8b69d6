using Pigeon.Net;

namespace Pigeon.Tls
{
    /// <summary>
    /// Reads the server name (SNI) out of a TLS ClientHello without consuming or changing the
    /// bytes: the relay forwards them untouched once it has decided. Called again with the whole
    /// buffer each time more bytes arrive; allocates nothing after construction and never throws.
    /// </summary>
    /// <remarks>
    /// <code>
    /// TLS record (RFC 8446 §5.1), repeated: the handshake may be split over several records
    ///   +------+---------+---------+------------------+
    ///   | 0x16 | 03 0x   | len (2) | fragment (len)   |   len 1..16384
    ///   +------+---------+---------+------------------+
    /// Handshake (§4), the concatenation of the fragments:
    ///   | 0x01 ClientHello | length (3) | body (length) |
    /// ClientHello body (§4.1.2):
    ///   | version (2) | random (32) | session_id len(1) + 0..32 |
    ///   | cipher_suites len(2) + 2..65534 | compression len(1) + 1..255 |
    ///   | extensions len(2) + [ type(2) | len(2) | data ]* |   (absent in old hellos)
    /// server_name extension, type 0 (RFC 6066 §3):
    ///   | list len(2) | name_type(1)=0 host_name | host len(2) | host bytes |
    /// </code>
    /// Exactly one host_name is legal. The reader walks the handshake bytes once, from the start,
    /// stepping over record headers as it goes, so a hello split over records and TCP segments
    /// reads like a contiguous one. When the host name itself straddles a record boundary (a
    /// trick some anti-censorship clients use against DPI) it is copied into a small scratch
    /// buffer; otherwise <see cref="HostBuffer"/> is the caller's own buffer.
    /// GREASE values (RFC 8701) and ECH (outer SNI) need no special case: unknown extensions are
    /// skipped by their length.
    /// </remarks>
    public sealed class ClientHelloReader
    {
        /// <summary>
        /// The largest cap a config may set, and the default: 64 KB. Modern hellos are 1.7-2 KB,
        /// but one ClientHello may span several 16 KB records (RFC 8446 §5.1), so a cap at one
        /// record's size would refuse valid clients.
        /// </summary>
        public const int DefaultMaxHelloBytes = 65536;

        /// <summary>A host name in text form is at most 253 characters (RFC 1035 §2.3.4, no trailing dot).</summary>
        public const int MaxHostLength = 253;

        private const int RecordHeader = 5;
        private const int MaxRecordLength = 16384; // RFC 8446 §5.1: MUST NOT exceed 2^14
        private const byte HandshakeRecord = 0x16;
        private const byte ClientHelloType = 0x01;
        private const int ServerNameExtension = 0;

        // Cursor states besides "ok".
        private const int Ok = 0;
        private const int StopNeedMore = 1;
        private const int StopMalformed = 2;

        private readonly byte[] _scratch = new byte[MaxHostLength];
        private readonly int _maxHelloBytes;

        private byte[] _buffer;
        private int _start;
        private int _end;
        private int _pos;
        private int _recordLeft;
        private int _stop;

        /// <summary>Creates a reader that gives up (Malformed) past <paramref name="maxHelloBytes"/>.</summary>
        public ClientHelloReader(int maxHelloBytes)
        {
            _maxHelloBytes = maxHelloBytes < 64 ? 64 : maxHelloBytes;
        }

        /// <summary>Creates a reader with the default 16 KB cap.</summary>
        public ClientHelloReader()
            : this(DefaultMaxHelloBytes)
        {
        }

        /// <summary>The cap on bytes waited for.</summary>
        public int MaxHelloBytes
        {
            get { return _maxHelloBytes; }
        }

        /// <summary>After Found: the array holding the host name (the input buffer or a scratch copy).</summary>
        public byte[] HostBuffer { get; private set; }

        /// <summary>After Found: where the host name starts in <see cref="HostBuffer"/>.</summary>
        public int HostOffset { get; private set; }

        /// <summary>After Found: the host name's length in bytes.</summary>
        public int HostLength { get; private set; }

        /// <summary>True when the host name lies in the caller's buffer (not copied).</summary>
        public bool HostInInput { get; private set; }

        /// <summary>After Found or NoServerName: bytes of the input the ClientHello's records span.</summary>
        public int HelloLength { get; private set; }

        /// <summary>Reads the bytes received so far. Never throws.</summary>
        public HelloResult Read(byte[] buffer, int offset, int count)
        {
            HostBuffer = null;
            HostOffset = 0;
            HostLength = 0;
            HostInInput = false;
            HelloLength = 0;
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length || count > buffer.Length - offset)
            {
                return HelloResult.Malformed;
            }

            HelloResult result = ReadCore(buffer, offset, count);
            _buffer = null; // do not keep the caller's buffer alive through the reader
            if (result == HelloResult.NeedMore && count >= _maxHelloBytes)
            {
                return HelloResult.Malformed; // still incomplete at the cap: refuse rather than wait
            }

            return result;
        }

        private HelloResult ReadCore(byte[] buffer, int offset, int count)
        {
            // Decide "is this TLS at all" from the first bytes, before anything else.
            if (count >= 1 && buffer[offset] != HandshakeRecord)
            {
                return HelloResult.NotTls;
            }

            if (count >= 2 && buffer[offset + 1] != 0x03)
            {
                return HelloResult.NotTls;
            }

            _buffer = buffer;
            _start = offset;
            _end = offset + count;
            _pos = offset;
            _recordLeft = 0;
            _stop = Ok;

            int type = NextByte();
            if (type < 0)
            {
                return Stopped();
            }

            if (type != ClientHelloType)
            {
                return HelloResult.Malformed; // a TLS handshake must open with a ClientHello
            }

            int length = NextUInt(3);
            if (length < 0)
            {
                return Stopped();
            }

            // The hello alone (plus one record and one handshake header) must fit under the cap.
            if (length + RecordHeader + 4 > _maxHelloBytes)
            {
                return HelloResult.Malformed;
            }

            // Body: version, random.
            if (length < 2 + 32 + 1 + 2 + 1)
            {
                return HelloResult.Malformed;
            }

            int remaining = length;
            if (!Skip(2 + 32))
            {
                return Stopped();
            }

            remaining -= 34;

            // session_id <0..32>
            int sessionIdLength = NextByte();
            if (sessionIdLength < 0)
            {
                return Stopped();
            }

            remaining--;
            if (sessionIdLength > 32 || sessionIdLength > remaining)
            {
                return HelloResult.Malformed;
            }

            if (!Skip(sessionIdLength))
            {
                return Stopped();
            }

            remaining -= sessionIdLength;

            // cipher_suites <2..2^16-2>, an even count of bytes
            if (remaining < 2)
            {
                return HelloResult.Malformed;
            }

            int suitesLength = NextUInt(2);
            if (suitesLength < 0)
            {
                return Stopped();
            }

            remaining -= 2;
            if (suitesLength < 2 || (suitesLength & 1) != 0 || suitesLength > remaining)
            {
                return HelloResult.Malformed;
            }

            if (!Skip(suitesLength))
            {
                return Stopped();
            }

            remaining -= suitesLength;

            // compression_methods <1..2^8-1>
            if (remaining < 1)
            {
                return HelloResult.Malformed;
            }

            int compressionLength = NextByte();
            if (compressionLength < 0)
            {
                return Stopped();
            }

            remaining--;
            if (compressionLength < 1 || compressionLength > remaining)
            {
                return HelloResult.Malformed;
            }

            if (!Skip(compressionLength))
            {
                return Stopped();
            }

            remaining -= compressionLength;

            if (remaining == 0)
            {
                // An old (pre-extension) hello: well formed, but it names no host.
                return Complete(false);
            }

            if (remaining < 2)
            {
                return HelloResult.Malformed;
            }

            int extensionsLength = NextUInt(2);
            if (extensionsLength < 0)
            {
                return Stopped();
            }

            remaining -= 2;
            if (extensionsLength != remaining)
            {
                return HelloResult.Malformed; // the block must fill the hello exactly
            }

            bool found = false;
            while (remaining > 0)
            {
                if (remaining < 4)
                {
                    return HelloResult.Malformed;
                }

                int extensionType = NextUInt(2);
                if (extensionType < 0)
                {
                    return Stopped();
                }

                int extensionLength = NextUInt(2);
                if (extensionLength < 0)
                {
                    return Stopped();
                }

                remaining -= 4;
                if (extensionLength > remaining)
                {
                    return HelloResult.Malformed;
                }

                remaining -= extensionLength;
                if (extensionType == ServerNameExtension)
                {
                    if (found)
                    {
                        return HelloResult.Malformed; // RFC 8446 §4.2: no extension type twice
                    }

                    HelloResult sni = ReadServerName(extensionLength);
                    if (sni != HelloResult.Found)
                    {
                        return sni;
                    }

                    found = true;
                }
                else if (!Skip(extensionLength))
                {
                    return Stopped();
                }
            }

            return Complete(found);
        }

        private HelloResult Complete(bool found)
        {
            // The handshake message ends here; if it ended inside a record, that record may
            // carry more handshake bytes, which belong to the stream too.
            HelloLength = (_pos - _start) + _recordLeft;
            if (HelloLength > _end - _start)
            {
                return HelloResult.NeedMore; // rest of the last record still in flight
            }

            return found ? HelloResult.Found : HelloResult.NoServerName;
        }

        // server_name extension body: list length, then exactly one host_name entry.
        private HelloResult ReadServerName(int extensionLength)
        {
            if (extensionLength < 2 + 1 + 2 + 1)
            {
                return HelloResult.Malformed; // room for at least a one-byte name
            }

            int listLength = NextUInt(2);
            if (listLength < 0)
            {
                return Stopped();
            }

            if (listLength != extensionLength - 2)
            {
                return HelloResult.Malformed;
            }

            int nameType = NextByte();
            if (nameType < 0)
            {
                return Stopped();
            }

            if (nameType != 0)
            {
                return HelloResult.Malformed; // only host_name (0) is defined
            }

            int hostLength = NextUInt(2);
            if (hostLength < 0)
            {
                return Stopped();
            }

            if (hostLength == 0 || hostLength > MaxHostLength)
            {
                return HelloResult.Malformed;
            }

            if (hostLength != listLength - 3)
            {
                return HelloResult.Malformed; // a second entry follows: more than one name
            }

            // Contiguous in the input: point at it. Otherwise copy across the record boundary.
            if (_recordLeft >= hostLength && _pos + hostLength <= _end)
            {
                HostBuffer = _buffer;
                HostOffset = _pos;
                HostInInput = true;
                _pos += hostLength;
                _recordLeft -= hostLength;
            }
            else
            {
                for (int i = 0; i < hostLength; i++)
                {
                    int b = NextByte();
                    if (b < 0)
                    {
                        return Stopped();
                    }

                    _scratch[i] = (byte)b;
                }

                HostBuffer = _scratch;
                HostOffset = 0;
                HostInInput = false;
            }

            HostLength = hostLength;
            if (!HostName.IsValid(HostBuffer, HostOffset, hostLength))
            {
                return HelloResult.Malformed;
            }

            return HelloResult.Found;
        }

        private HelloResult Stopped()
        {
            return _stop == StopNeedMore ? HelloResult.NeedMore : HelloResult.Malformed;
        }

        // Next handshake byte, stepping over record headers; -1 when stopped.
        private int NextByte()
        {
            while (_recordLeft == 0)
            {
                if (!OpenRecord())
                {
                    return -1;
                }
            }

            if (_pos >= _end)
            {
                _stop = StopNeedMore;
                return -1;
            }

            _recordLeft--;
            return _buffer[_pos++];
        }

        private int NextUInt(int bytes)
        {
            int value = 0;
            for (int i = 0; i < bytes; i++)
            {
                int b = NextByte();
                if (b < 0)
                {
                    return -1;
                }

                value = (value << 8) | b;
            }

            return value;
        }

        private bool Skip(int count)
        {
            while (count > 0)
            {
                while (_recordLeft == 0)
                {
                    if (!OpenRecord())
                    {
                        return false;
                    }
                }

                int step = count < _recordLeft ? count : _recordLeft;
                int available = _end - _pos;
                if (available <= 0)
                {
                    _stop = StopNeedMore;
                    return false;
                }

                if (step > available)
                {
                    step = available;
                }

                _pos += step;
                _recordLeft -= step;
                count -= step;
            }

            return true;
        }

        private bool OpenRecord()
        {
            if (_pos - _start >= _maxHelloBytes)
            {
                _stop = StopMalformed; // more records than the cap allows
                return false;
            }

            // Check what is there of the header before waiting for the rest of it.
            if (_pos < _end && _buffer[_pos] != HandshakeRecord)
            {
                _stop = StopMalformed; // another record type inside the hello
                return false;
            }

            if (_pos + 1 < _end && _buffer[_pos + 1] != 0x03)
            {
                _stop = StopMalformed;
                return false;
            }

            if (_pos + RecordHeader > _end)
            {
                _stop = StopNeedMore;
                return false;
            }

            int length = BigEndian.ReadUInt16(_buffer, _pos + 3);
            if (length == 0 || length > MaxRecordLength)
            {
                _stop = StopMalformed; // RFC 8446 §5.1: no empty handshake fragments
                return false;
            }

            _recordLeft = length;
            _pos += RecordHeader;
            return true;
        }
    }
}
