// Reference declaration written for Pigeon: only what the board code calls, so `dotnet build` can
// check it where nanoFramework's packages are not served (docs/device.md). Never deployed.
using System;

namespace System.Net.Sockets
{
    public class Socket : IDisposable
    {
        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
        {
            throw new NotSupportedException();
        }

        public EndPoint LocalEndPoint
        {
            get { throw new NotSupportedException(); }
        }

        public EndPoint RemoteEndPoint
        {
            get { throw new NotSupportedException(); }
        }

        public void Bind(EndPoint localEP)
        {
            throw new NotSupportedException();
        }

        public void Listen(int backlog)
        {
            throw new NotSupportedException();
        }

        public Socket Accept()
        {
            throw new NotSupportedException();
        }

        public void Connect(EndPoint remoteEP)
        {
            throw new NotSupportedException();
        }

        public void Close()
        {
            throw new NotSupportedException();
        }

        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags)
        {
            throw new NotSupportedException();
        }

        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags)
        {
            throw new NotSupportedException();
        }

        public int SendTo(byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP)
        {
            throw new NotSupportedException();
        }

        public int ReceiveFrom(byte[] buffer, int offset, int size, SocketFlags socketFlags, ref EndPoint remoteEP)
        {
            throw new NotSupportedException();
        }

        public bool Poll(int microSeconds, SelectMode mode)
        {
            throw new NotSupportedException();
        }

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue)
        {
            throw new NotSupportedException();
        }

        void IDisposable.Dispose()
        {
            throw new NotSupportedException();
        }
    }
}
