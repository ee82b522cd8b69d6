using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Pigeon.Net;

namespace Pigeon.Pumps.Events
{
    /// <summary>
    /// The Linux system calls the epoll pump makes itself (libc, blittable arguments only, so
    /// native AOT binds them without marshalling code). Every socket is non-blocking; a call that
    /// would block answers -1 with <see cref="EAGAIN"/> and the pump waits for epoll instead.
    /// </summary>
    internal static unsafe class Posix
    {
        public const int EINTR = 4;
        public const int EAGAIN = 11;
        public const int ENOMEM = 12;
        public const int EINVAL = 22;
        public const int ENFILE = 23;
        public const int EMFILE = 24;
        public const int ECONNABORTED = 103;
        public const int ENOBUFS = 105;
        public const int EINPROGRESS = 115;

        public const int AF_INET = 2;
        public const int AF_INET6 = 10;
        public const int SOCK_STREAM = 1;
        public const int SOCK_NONBLOCK = 0x800;
        public const int SOCK_CLOEXEC = 0x80000;
        public const int IPPROTO_TCP = 6;
        public const int TCP_NODELAY = 1;
        public const int SOL_SOCKET = 1;
        public const int SO_ERROR = 4;
        public const int MSG_NOSIGNAL = 0x4000;
        public const int SHUT_WR = 1;
        public const int SHUT_RDWR = 2;

        public const int EPOLL_CTL_ADD = 1;
        public const int EPOLL_CTL_DEL = 2;
        public const uint EPOLLIN = 0x001;
        public const uint EPOLLOUT = 0x004;
        public const uint EPOLLERR = 0x008;
        public const uint EPOLLHUP = 0x010;
        public const uint EPOLLRDHUP = 0x2000;
        public const uint EPOLLEXCLUSIVE = 1u << 28;
        public const uint EPOLLET = 1u << 31;

        /// <summary>Bytes of a sockaddr_in6, the larger of the two addresses the pump reads.</summary>
        public const int SockAddrBytes = 28;

        /// <summary>
        /// struct epoll_event is packed on x86-64 (12 bytes: events, then the 64-bit data at offset
        /// 4) and naturally aligned elsewhere (16 bytes, data at offset 8: arm64).
        /// </summary>
        public static readonly int EventBytes = RuntimeInformation.ProcessArchitecture == Architecture.X64 || RuntimeInformation.ProcessArchitecture == Architecture.X86 ? 12 : 16;

        /// <summary>Where the data field sits in an epoll_event.</summary>
        public static readonly int EventDataOffset = EventBytes == 12 ? 4 : 8;

        /// <summary>True where this pump can run: Linux (epoll).</summary>
        public static bool Supported
        {
            get { return OperatingSystem.IsLinux(); }
        }

        /// <summary>errno of the last call made on this thread.</summary>
        public static int Errno
        {
            get { return Marshal.GetLastPInvokeError(); }
        }

        [DllImport("libc", SetLastError = true)]
        public static extern int epoll_create1(int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int epoll_ctl(int epfd, int op, int fd, byte* ev);

        [DllImport("libc", SetLastError = true)]
        public static extern int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

        [DllImport("libc", SetLastError = true)]
        public static extern int eventfd(uint initval, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern nint read(int fd, byte* buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern nint write(int fd, byte* buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern int socket(int domain, int type, int protocol);

        [DllImport("libc", SetLastError = true)]
        public static extern int accept4(int fd, byte* address, int* length, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int connect(int fd, byte* address, int length);

        [DllImport("libc", SetLastError = true)]
        public static extern nint recv(int fd, byte* buffer, nint length, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern nint send(int fd, byte* buffer, nint length, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int shutdown(int fd, int how);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int setsockopt(int fd, int level, int name, byte* value, int length);

        [DllImport("libc", SetLastError = true)]
        public static extern int getsockopt(int fd, int level, int name, byte* value, int* length);

        [DllImport("libc", SetLastError = true)]
        public static extern int getpeername(int fd, byte* address, int* length);

        [DllImport("libc", SetLastError = true)]
        public static extern int getsockname(int fd, byte* address, int* length);

        [DllImport("libc", SetLastError = true)]
        public static extern int fcntl(int fd, int command, int argument);

        /// <summary>Registers <paramref name="fd"/> with <paramref name="epoll"/> for <paramref name="events"/>, tagged <paramref name="data"/>; false on failure.</summary>
        public static bool Add(int epoll, int fd, uint events, ulong data)
        {
            byte* ev = stackalloc byte[16];
            *(uint*)ev = events;
            *(ulong*)(ev + EventDataOffset) = data;
            return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, ev) == 0;
        }

        /// <summary>Removes <paramref name="fd"/> from <paramref name="epoll"/>.</summary>
        public static void Remove(int epoll, int fd)
        {
            byte* ev = stackalloc byte[16];
            epoll_ctl(epoll, EPOLL_CTL_DEL, fd, ev);
        }

        /// <summary>Turns Nagle off (chat is small messages both ways).</summary>
        public static void NoDelay(int fd)
        {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, (byte*)&one, sizeof(int));
        }

        /// <summary>Makes <paramref name="fd"/> non-blocking (F_SETFL O_NONBLOCK, keeping its other flags).</summary>
        public static void NonBlocking(int fd)
        {
            const int F_GETFL = 3;
            const int F_SETFL = 4;
            const int O_NONBLOCK = 0x800;
            int flags = fcntl(fd, F_GETFL, 0);
            if (flags >= 0)
            {
                fcntl(fd, F_SETFL, flags | O_NONBLOCK);
            }
        }

        /// <summary>The address and port of a sockaddr_in or sockaddr_in6 (an IPv4-mapped IPv6 address reads as IPv4).</summary>
        public static NetAddress ReadAddress(byte* address, out int port)
        {
            ushort family = *(ushort*)address;
            port = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(address + 2, 2));
            if (family == AF_INET)
            {
                return NetAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(address + 4, 4)));
            }

            if (family == AF_INET6)
            {
                return NetAddress.FromHalves(
                    BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(address + 8, 8)),
                    BinaryPrimitives.ReadUInt64BigEndian(new ReadOnlySpan<byte>(address + 16, 8)));
            }

            port = 0;
            return new NetAddress();
        }

        /// <summary>Writes <paramref name="address"/>:<paramref name="port"/> as a sockaddr (IPv4 as sockaddr_in); its length.</summary>
        public static int WriteAddress(NetAddress address, int port, byte* into)
        {
            new Span<byte>(into, SockAddrBytes).Clear();
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(into + 2, 2), (ushort)port);
            if (address.IsIPv4)
            {
                *(ushort*)into = AF_INET;
                BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(into + 4, 4), address.IPv4);
                return 16;
            }

            *(ushort*)into = AF_INET6;
            BinaryPrimitives.WriteUInt64BigEndian(new Span<byte>(into + 8, 8), address.High);
            BinaryPrimitives.WriteUInt64BigEndian(new Span<byte>(into + 16, 8), address.Low);
            return SockAddrBytes;
        }
    }
}
