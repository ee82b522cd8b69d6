using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// The one BIO the Linux pump gives OpenSSL for a client's socket: reads first the bytes
    /// admission already took from the socket (the ClientHello), then recv() on the descriptor;
    /// writes are send() (MSG_NOSIGNAL). No copy through memory BIOs as SslStream makes: records
    /// go from the socket into OpenSSL's own buffer and out of it. A call that would block sets
    /// the retry flags (OpenSSL answers WANT_READ/WANT_WRITE) and is noted in the <see cref="State"/>
    /// so the pump knows the socket is drained or full.
    /// </summary>
    internal static unsafe class TlsBio
    {
        /// <summary>A read would have blocked (the socket is drained).</summary>
        public const int ReadBlocked = 1;

        /// <summary>A write would have blocked (the socket's buffer is full).</summary>
        public const int WriteBlocked = 2;

        /// <summary>The peer's FIN was read.</summary>
        public const int PeerClosed = 4;

        /// <summary>A read or write failed (reset, or the socket closed on our side).</summary>
        public const int Broken = 8;

        private static readonly object s_lock = new object();
        private static IntPtr s_method;

        /// <summary>What the BIO of one TLS session works with (native memory, freed with the session).</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct State
        {
            /// <summary>The socket; -1 once the pump closed it (every call then fails).</summary>
            public int Fd;

            /// <summary><see cref="ReadBlocked"/> and the others, since the pump last cleared them.</summary>
            public int Flags;

            /// <summary>Bytes in <see cref="Prefix"/>.</summary>
            public int PrefixLength;

            /// <summary>Bytes of <see cref="Prefix"/> OpenSSL has read.</summary>
            public int PrefixRead;

            /// <summary>The bytes admission read (freed once read, so an idle session holds none).</summary>
            public byte* Prefix;
        }

        /// <summary>A BIO over <paramref name="state"/>, or zero when OpenSSL would not make one.</summary>
        public static IntPtr Create(State* state)
        {
            IntPtr method = Method();
            if (method == IntPtr.Zero)
            {
                return IntPtr.Zero;
            }

            IntPtr bio = OpenSsl.BIO_new(method);
            if (bio != IntPtr.Zero)
            {
                OpenSsl.BIO_set_data(bio, (IntPtr)state);
                OpenSsl.BIO_set_init(bio, 1);
            }

            return bio;
        }

        /// <summary>A state for socket <paramref name="fd"/> holding a copy of <paramref name="prefix"/>.</summary>
        public static State* NewState(int fd, ReadOnlySpan<byte> prefix)
        {
            State* state = (State*)NativeMemory.AllocZeroed((nuint)sizeof(State));
            state->Fd = fd;
            if (!prefix.IsEmpty)
            {
                state->Prefix = (byte*)NativeMemory.Alloc((nuint)prefix.Length);
                prefix.CopyTo(new Span<byte>(state->Prefix, prefix.Length));
                state->PrefixLength = prefix.Length;
            }

            return state;
        }

        /// <summary>Frees <paramref name="state"/> (after the SSL that used it).</summary>
        public static void FreeState(State* state)
        {
            if (state->Prefix != null)
            {
                NativeMemory.Free(state->Prefix);
            }

            NativeMemory.Free(state);
        }

        private static IntPtr Method()
        {
            if (s_method == IntPtr.Zero)
            {
                lock (s_lock)
                {
                    if (s_method == IntPtr.Zero)
                    {
                        byte* name = stackalloc byte[] { (byte)'p', (byte)'i', (byte)'g', (byte)'e', (byte)'o', (byte)'n', 0 };
                        IntPtr method = OpenSsl.BIO_meth_new(OpenSsl.BIO_get_new_index() | OpenSsl.BIO_TYPE_SOURCE_SINK, name);
                        if (method != IntPtr.Zero)
                        {
                            OpenSsl.BIO_meth_set_write(method, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int>)&Write);
                            OpenSsl.BIO_meth_set_read(method, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int>)&Read);
                            OpenSsl.BIO_meth_set_ctrl(method, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, int, long, IntPtr, long>)&Control);
                            OpenSsl.BIO_meth_set_create(method, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, int>)&Create);
                        }

                        s_method = method;
                    }
                }
            }

            return s_method;
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static int Create(IntPtr bio)
        {
            return 1;
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static int Read(IntPtr bio, byte* buffer, int length)
        {
            State* state = (State*)OpenSsl.BIO_get_data(bio);
            OpenSsl.BIO_clear_flags(bio, OpenSsl.BIO_FLAGS_READ | OpenSsl.BIO_FLAGS_WRITE | OpenSsl.BIO_FLAGS_SHOULD_RETRY);
            if (length <= 0)
            {
                return 0;
            }

            if (state->Prefix != null)
            {
                int count = Math.Min(length, state->PrefixLength - state->PrefixRead);
                new ReadOnlySpan<byte>(state->Prefix + state->PrefixRead, count).CopyTo(new Span<byte>(buffer, count));
                state->PrefixRead += count;
                if (state->PrefixRead == state->PrefixLength)
                {
                    NativeMemory.Free(state->Prefix);
                    state->Prefix = null;
                }

                return count;
            }

            if (state->Fd < 0)
            {
                state->Flags |= Broken;
                return -1;
            }

            while (true)
            {
                nint count = Posix.recv(state->Fd, buffer, length, 0);
                if (count > 0)
                {
                    return (int)count;
                }

                if (count == 0)
                {
                    state->Flags |= PeerClosed;
                    return 0;
                }

                int error = Posix.Errno;
                if (error == Posix.EINTR)
                {
                    continue;
                }

                if (error == Posix.EAGAIN)
                {
                    state->Flags |= ReadBlocked;
                    OpenSsl.BIO_set_flags(bio, OpenSsl.BIO_FLAGS_READ | OpenSsl.BIO_FLAGS_SHOULD_RETRY);
                    return -1;
                }

                state->Flags |= Broken;
                return -1;
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static int Write(IntPtr bio, byte* data, int length)
        {
            State* state = (State*)OpenSsl.BIO_get_data(bio);
            OpenSsl.BIO_clear_flags(bio, OpenSsl.BIO_FLAGS_READ | OpenSsl.BIO_FLAGS_WRITE | OpenSsl.BIO_FLAGS_SHOULD_RETRY);
            if (state->Fd < 0)
            {
                state->Flags |= Broken;
                return -1;
            }

            while (true)
            {
                nint count = Posix.send(state->Fd, data, length, Posix.MSG_NOSIGNAL);
                if (count >= 0)
                {
                    return (int)count;
                }

                int error = Posix.Errno;
                if (error == Posix.EINTR)
                {
                    continue;
                }

                if (error == Posix.EAGAIN)
                {
                    state->Flags |= WriteBlocked;
                    OpenSsl.BIO_set_flags(bio, OpenSsl.BIO_FLAGS_WRITE | OpenSsl.BIO_FLAGS_SHOULD_RETRY);
                    return -1;
                }

                state->Flags |= Broken;
                return -1;
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static long Control(IntPtr bio, int command, long argument, IntPtr pointer)
        {
            if (command == OpenSsl.BIO_CTRL_FLUSH)
            {
                return 1; // every write is on the socket already
            }

            if (command == OpenSsl.BIO_CTRL_EOF)
            {
                State* state = (State*)OpenSsl.BIO_get_data(bio);
                return (state->Flags & PeerClosed) != 0 ? 1 : 0;
            }

            return 0;
        }
    }
}
