using Pigeon.Net;

namespace Pigeon.Pumps.Threaded
{
    /// <summary>
    /// The host's part of <see cref="ThreadedRelay"/> (files named *.Host.cs are left out of the
    /// board's assembly): the TLS server of terminateTls routes, for the host's --pump threads.
    /// </summary>
    public sealed partial class ThreadedRelay
    {
        /// <summary>The TLS server for terminateTls routes; null when none was given.</summary>
        public ITlsServer Tls { get; set; }

        partial void HasTls(ref bool tls)
        {
            tls = Tls != null;
        }
    }
}
