using System.Threading;
using Pigeon.Net;

namespace Pigeon.Portal
{
    /// <summary>
    /// One connection the portal serves at a time: its socket object (swapped with the accept
    /// loop's spare, so a connection allocates nothing of ours), its request and response buffers,
    /// its worker's wake-up, its current deadline, and the client's address (kept only while the
    /// connection lives). Guarded by the server's lock.
    /// </summary>
    internal sealed class PortalSlot
    {
        public readonly HttpRequest Request = new HttpRequest();
        public readonly HttpResponse Response = new HttpResponse();
        public readonly AutoResetEvent Go = new AutoResetEvent(false);
        public IConnection Connection;
        public Deadline Deadline;
        public bool Busy;
        public uint Client;

        public PortalSlot(IConnection connection)
        {
            Connection = connection;
        }
    }
}
