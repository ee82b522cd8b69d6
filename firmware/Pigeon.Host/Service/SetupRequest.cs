using System;

namespace Pigeon.Host.Service
{
    /// <summary>
    /// What `pigeon setup` sets; a member left null is left as it is. From the command line, or
    /// from the environment for a container (PIGEON_PUBLIC_HOST, PIGEON_ADMIN_PASSWORD_FILE,
    /// PIGEON_PORTAL_ADDRESS), where it applies before every start.
    /// </summary>
    public sealed class SetupRequest
    {
        /// <summary>network.publicHost: the name or address the share links carry.</summary>
        public string PublicHost { get; set; }

        /// <summary>A file whose first line is the admin password (a Docker secret, a file made with umask 077).</summary>
        public string AdminPasswordFile { get; set; }

        /// <summary>portal.listenAddress (0.0.0.0 only with an admin password: PortalExposure).</summary>
        public string PortalAddress { get; set; }

        /// <summary>True when nothing is to be set.</summary>
        public bool IsEmpty
        {
            get { return PublicHost == null && AdminPasswordFile == null && PortalAddress == null; }
        }

        /// <summary>The request the environment makes; null when it names nothing.</summary>
        public static SetupRequest FromEnvironment(Func<string, string> environment)
        {
            SetupRequest request = new SetupRequest
            {
                PublicHost = NullIfEmpty(environment("PIGEON_PUBLIC_HOST")),
                AdminPasswordFile = NullIfEmpty(environment("PIGEON_ADMIN_PASSWORD_FILE")),
                PortalAddress = NullIfEmpty(environment("PIGEON_PORTAL_ADDRESS")),
            };
            return request.IsEmpty ? null : request;
        }

        private static string NullIfEmpty(string value)
        {
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }
}
