// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Relay;

namespace Pigeon.Tests.Support
{
    /// <summary>
    /// A web site for the shared tests (the host's is DecoySite): a request head (up to a blank
    /// line) gets "200" and the connection kept; anything else "400" and a close. Counts its answers.
    /// </summary>
    public sealed class TestWebSite : IWebSite
    {
        private static readonly byte[] s_ok = Bytes.Ascii("ok");

        public int Answers { get; private set; }

        public int MaxHeadLength
        {
            get { return 64; }
        }

        public int HeaderTimeoutMs
        {
            get { return 60000; }
        }

        public int KeepAliveMs
        {
            get { return 75000; }
        }

        public bool CanAnswer(byte[] request, int offset, int count)
        {
            return HeadEnd(request, offset, count) > 0 || HttpProbe.Classify(request, offset, count) == HttpProbe.NotHttp;
        }

        public int Answer(byte[] request, int offset, int count, byte[] head, int at, out byte[] body, out int bodyLength, out int consumed, out bool keepAlive)
        {
            Answers++;
            int end = HeadEnd(request, offset, count);
            keepAlive = end > 0 && HttpProbe.Classify(request, offset, count) == HttpProbe.Http;
            consumed = keepAlive ? end - offset : count;
            body = s_ok;
            bodyLength = 2;
            byte[] text = Bytes.Ascii(keepAlive ? "HTTP/1.1 200 OK\r\n\r\n" : "HTTP/1.1 400 Bad Request\r\n\r\n");
            System.Array.Copy(text, 0, head, at, text.Length);
            return text.Length;
        }

        private static int HeadEnd(byte[] b, int offset, int count)
        {
            for (int i = offset + 3; i < offset + count; i++)
            {
                if (b[i] == (byte)'\n' && b[i - 1] == (byte)'\r' && b[i - 2] == (byte)'\n' && b[i - 3] == (byte)'\r')
                {
                    return i + 1;
                }
            }

            return -1;
        }
    }
}
