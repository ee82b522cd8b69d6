using Pigeon.Config;
using Pigeon.Net;

namespace Pigeon.Reach
{
    /// <summary>
    /// The host's part of <see cref="ReachService"/>: dynamic DNS, where the platform has an HTTPS
    /// client (files named *.Host.cs are left out of the board's assembly, which has none).
    /// </summary>
    public sealed partial class ReachService
    {
        partial void StartDynDns(NetworkConfig network, ReachSetup setup, ILog log)
        {
            if (setup.Web == null)
            {
                return;
            }

            DynDns = new DynDns(setup.Web, setup.Clock, network.DynDnsUrl, network.DynDnsUser, network.DynDnsPassword, network.PublicHost);
            if (DynDns.ConfigError != null)
            {
                log.Warn("dynamic DNS: " + DynDns.ConfigError);
            }
        }

        partial void UpdateDynDns()
        {
            if (DynDns != null && Mapper.ExternalAddress != 0)
            {
                DynDns.Update(Mapper.ExternalAddress);
            }
        }
    }
}
