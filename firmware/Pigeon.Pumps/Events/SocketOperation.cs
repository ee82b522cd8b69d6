using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// One reusable socket operation, awaitable without allocating (the pattern Kestrel uses):
    /// a <see cref="SocketAsyncEventArgs"/> that is its own <see cref="IValueTaskSource{T}"/>.
    /// A session keeps one per direction and reuses it for every receive, send and connect of that
    /// direction, on either socket, so the runtime never makes its own per-socket operation objects
    /// (four or five per relayed connection otherwise). Failures complete with -1, not an exception:
    /// a closed or reset socket is the normal end of a session, not an error to unwind.
    /// </summary>
    internal sealed class SocketOperation : SocketAsyncEventArgs, IValueTaskSource<int>
    {
        /// <summary>What an operation answers when it failed (reset, closed, refused, aborted).</summary>
        public const int Failed = -1;

        private ManualResetValueTaskSourceCore<int> _core;

        public SocketOperation()
            : base(unsafeSuppressExecutionContextFlow: true)
        {
            // Continue on the thread that completed the operation: with inline socket completions
            // that is the event loop's own thread, with no hand-off.
            _core.RunContinuationsAsynchronously = false;
        }

        /// <summary>Waits for data and reads it into <paramref name="buffer"/> (empty: waits only); bytes read, 0 at the peer's FIN, or <see cref="Failed"/>.</summary>
        public ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer)
        {
            _core.Reset();
            SetBuffer(buffer);
            try
            {
                if (!socket.ReceiveAsync(this))
                {
                    Finish();
                }
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
            {
                _core.SetResult(Failed);
            }

            return new ValueTask<int>(this, _core.Version);
        }

        /// <summary>Sends what it can of <paramref name="data"/>; bytes sent, or <see cref="Failed"/>.</summary>
        public ValueTask<int> SendAsync(Socket socket, ReadOnlyMemory<byte> data)
        {
            _core.Reset();
            SetBuffer(MemoryMarshal.AsMemory(data));
            try
            {
                if (!socket.SendAsync(this))
                {
                    Finish();
                }
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
            {
                _core.SetResult(Failed);
            }

            return new ValueTask<int>(this, _core.Version);
        }

        /// <summary>Connects <paramref name="socket"/>; 0 when connected, or <see cref="Failed"/>.</summary>
        public ValueTask<int> ConnectAsync(Socket socket, EndPoint endPoint)
        {
            _core.Reset();
            SetBuffer(Memory<byte>.Empty);
            RemoteEndPoint = endPoint;
            try
            {
                if (!socket.ConnectAsync(this))
                {
                    Finish();
                }
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
            {
                _core.SetResult(Failed);
            }

            return new ValueTask<int>(this, _core.Version);
        }

        /// <summary>Accepts a client on <paramref name="listener"/>; the socket is then <see cref="SocketAsyncEventArgs.AcceptSocket"/>.</summary>
        public ValueTask<int> AcceptAsync(Socket listener)
        {
            _core.Reset();
            AcceptSocket = null;
            try
            {
                if (!listener.AcceptAsync(this))
                {
                    Finish();
                }
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
            {
                _core.SetResult(Failed);
            }

            return new ValueTask<int>(this, _core.Version);
        }

        /// <summary>The error of the last operation (for accept: tells "out of descriptors" from "closed").</summary>
        public SocketError LastError
        {
            get { return SocketError; }
        }

        int IValueTaskSource<int>.GetResult(short token)
        {
            return _core.GetResult(token);
        }

        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token)
        {
            return _core.GetStatus(token);
        }

        void IValueTaskSource<int>.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            _core.OnCompleted(continuation, state, token, flags);
        }

        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            Finish();
        }

        private void Finish()
        {
            _core.SetResult(SocketError == SocketError.Success ? BytesTransferred : Failed);
        }
    }
}
