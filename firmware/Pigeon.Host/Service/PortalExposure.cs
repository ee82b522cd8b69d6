using Pigeon.Config;
using Pigeon.Net;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// The portal on a server: on 127.0.0.1 (reached through an SSH tunnel) by default; on any
    /// other address only once an admin password exists. Before that, the first visitor sets the
    /// password, so a page open to the network would belong to whoever finds it first.
    /// </summary>
    public static class PortalExposure
    {
        /// <summary>True for 127.0.0.0/8 (only this machine can connect).</summary>
        public static bool IsLoopback(uint address)
        {
            return (address >> 24) == 127;
        }

        /// <summary>
        /// Null when the config may start; otherwise the sentence that says why not and what to
        /// do. An address that does not parse is left to the portal, which reports it itself.
        /// </summary>
        public static string Refusal(PigeonConfig config)
        {
            PortalConfig portal = config.Portal ?? ConfigDefaults.Create(false).Portal;
            if (!IPv4.TryParse(portal.ListenAddress, out uint address) || IsLoopback(address) || AdminPassword.IsSet(config.Admin))
            {
                return null;
            }

            return "portal.listenAddress is " + portal.ListenAddress + ", but no admin password is set: whoever opened the page first would set it. "
                + "Set the password first: pigeon setup --admin-password-file FILE (or PIGEON_ADMIN_PASSWORD_FILE in a container), or with the portal "
                + "on 127.0.0.1 (from your computer: ssh -L 8080:127.0.0.1:" + portal.Port
                + " you@this-server, then open http://127.0.0.1:8080/); or set portal.listenAddress back to 127.0.0.1.";
        }
    }
}
