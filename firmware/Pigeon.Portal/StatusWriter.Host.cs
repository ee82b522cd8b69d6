using Pigeon.Config;
using Pigeon.Json;

namespace Pigeon.Portal
{
    /// <summary>
    /// The host's part of <see cref="StatusWriter"/> (files named *.Host.cs are left out of the
    /// board's assembly): Signal's proxy link, offered by a TLS route a board cannot have.
    /// </summary>
    public static partial class StatusWriter
    {
        // Signal's proxy link: a TLS route with Signal hosts, on 443 (Signal's app takes a host
        // alone and dials 443). Its app checks the route's certificate against the phone's
        // roots, so the page offers it only with a real one (the "tls" member says).
        static partial void WriteSignal(JsonWriter json, string host, RouteConfig[] routes)
        {
            int signal = ShareLink.SignalPort(routes);
            if (signal == 443 && host.Length > 0)
            {
                json.Name("signal").BeginObject().Member("host", host).Member("link", ShareLink.BuildSignal(host)).EndObject();
            }
        }
    }
}
