using System.Threading;
using Pigeon.Net;

namespace Pigeon.Portal
{
    /// <summary>
    /// Serves <see cref="CaptiveDns"/> answers on a UDP socket from one thread with two fixed
    /// 512-byte buffers (no allocation per packet). Bounded work: one datagram in, at most one out.
    /// </summary>
    public sealed class CaptiveDnsServer
    {
        private readonly byte[] _query = new byte[CaptiveDns.MaxAnswerBytes];
        private readonly byte[] _answer = new byte[CaptiveDns.MaxAnswerBytes];
        private readonly ILog _log;
        private IDatagramSocket _socket;
        private Thread _thread;
        private uint _address;
        private bool _stopping;
        private int _answered;
        private int _dropped;

        /// <summary>Creates a stopped server.</summary>
        public CaptiveDnsServer(ILog log)
        {
            _log = log;
        }

        /// <summary>Queries answered since start.</summary>
        public int Answered
        {
            get { return _answered; }
        }

        /// <summary>Packets dropped as malformed since start.</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>The bound port (after <see cref="Start"/>), useful after binding port 0.</summary>
        public int LocalPort
        {
            get { return _socket == null ? 0 : _socket.LocalPort; }
        }

        /// <summary>
        /// Binds <paramref name="bindAddress"/>:<paramref name="port"/> and answers every A query
        /// with <paramref name="answerAddress"/>. False with a plain reason when it cannot bind.
        /// </summary>
        public bool Start(IDatagramTransport transport, uint bindAddress, int port, uint answerAddress, out string error)
        {
            _socket = transport.Bind(bindAddress, port, out error);
            if (_socket == null)
            {
                return false;
            }

            _address = answerAddress;
            _stopping = false;
            _thread = new Thread(Run);
            _thread.Start();
            if (_log != null)
            {
                _log.Info("captive DNS: answering on port " + _socket.LocalPort + " with " + IPv4.ToText(answerAddress));
            }

            return true;
        }

        /// <summary>Closes the socket and waits for the thread.</summary>
        public void Stop()
        {
            _stopping = true;
            if (_socket != null)
            {
                _socket.Close();
            }

            if (_thread != null)
            {
                _thread.Join();
                _thread = null;
            }
        }

        private void Run()
        {
            while (!_stopping)
            {
                uint from;
                int fromPort;
                int n = _socket.ReceiveFrom(_query, 0, _query.Length, 1000, out from, out fromPort);
                if (n < 0)
                {
                    return; // closed
                }

                if (n == 0)
                {
                    continue; // timeout: check _stopping
                }

                int length = CaptiveDns.Answer(_query, 0, n, _address, _answer, 0);
                if (length == 0)
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }

                _socket.SendTo(_answer, 0, length, from, fromPort);
                Interlocked.Increment(ref _answered);
            }
        }
    }
}
