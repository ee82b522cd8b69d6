using Pigeon.Config;

namespace Pigeon.Portal
{
    /// <summary>
    /// The host's part of <see cref="ShareLink"/> (files named *.Host.cs are left out of the
    /// board's assembly): Signal's proxy link, for the TLS route that passes Signal through.
    /// </summary>
    public static partial class ShareLink
    {
        /// <summary>Signal's proxy link for <paramref name="host"/> (Signal-TLS-Proxy's README: https://signal.tube/#host).</summary>
        public static string BuildSignal(string host)
        {
            return "https://signal.tube/#" + Escape(host);
        }

        /// <summary>The port of the first open TLS route that passes Signal through (0: none).</summary>
        public static int SignalPort(RouteConfig[] routes)
        {
            for (int i = 0; routes != null && i < routes.Length; i++)
            {
                RouteConfig r = routes[i];
                if (r != null && r.TerminateTls && !r.AcceptProxy && r.SignalSni != null && r.SignalSni.Length > 0)
                {
                    return r.ListenPort;
                }
            }

            return 0;
        }
    }
}
