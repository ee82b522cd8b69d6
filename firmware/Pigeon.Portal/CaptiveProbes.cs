namespace Pigeon.Portal
{
    /// <summary>
    /// The captive-probe rules. Phones decide "this network has a login page" when a known URL
    /// does not give its expected answer (Android: 204 from /generate_204; Apple: "Success" from
    /// /hotspot-detect.html; Windows: "Microsoft Connect Test"/"Microsoft NCSI"; Firefox:
    /// "success"). In setup mode every such probe, and any request whose Host is not the portal,
    /// gets a 302 to the portal, which makes the phone open its captive sheet on our page. The
    /// redirect points at the portal's own address and "/", which is neither a probe path nor a
    /// foreign host, so the portal never redirects to itself in a loop. In run mode (the board on
    /// the home LAN) there is nothing to capture: probe paths are ordinary 404s.
    /// </summary>
    public static class CaptiveProbes
    {
        private static readonly string[] s_paths = new string[]
        {
            "/generate_204", // Android (connectivitycheck.gstatic.com, clients3.google.com)
            "/gen_204", // Android, older and some OEM builds
            "/hotspot-detect.html", // Apple iOS/macOS (captive.apple.com)
            "/library/test/success.html", // Apple, older iOS
            "/connecttest.txt", // Windows 10+ (www.msftconnecttest.com)
            "/ncsi.txt", // Windows 7-8 (www.msftncsi.com)
            "/redirect", // Windows, after a failed connecttest
            "/canonical.html", // Firefox (detectportal.firefox.com)
            "/success.txt", // Firefox
        };

        /// <summary>True for the known probe paths (compared exactly, case-sensitively, as sent).</summary>
        public static bool IsProbePath(string path)
        {
            for (int i = 0; i < s_paths.Length; i++)
            {
                if (path == s_paths[i])
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Decides for a request to <paramref name="host"/> (lower-case, no port; empty when
        /// the client sent none) and <paramref name="path"/>. <paramref name="portalHosts"/> are
        /// the names the portal answers to as itself (its address, "localhost" on a host).
        /// </summary>
        public static ProbeDecision Decide(bool setupMode, string host, string path, string[] portalHosts)
        {
            bool probe = IsProbePath(path);
            if (!setupMode)
            {
                return probe ? ProbeDecision.NotFound : ProbeDecision.Serve;
            }

            if (probe)
            {
                return ProbeDecision.RedirectToPortal;
            }

            if (host == null || host.Length == 0)
            {
                return ProbeDecision.Serve; // HTTP/1.0 without Host: it reached our address directly
            }

            for (int i = 0; i < portalHosts.Length; i++)
            {
                if (host == portalHosts[i])
                {
                    return ProbeDecision.Serve;
                }
            }

            return ProbeDecision.RedirectToPortal;
        }
    }
}
