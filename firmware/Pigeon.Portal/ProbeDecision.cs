namespace Pigeon.Portal
{
    /// <summary>What to do with a request before routing it (see <see cref="CaptiveProbes"/>).</summary>
    public enum ProbeDecision
    {
        /// <summary>Route it normally (page, assets, API).</summary>
        Serve = 0,

        /// <summary>302 to the portal's own address: this opens the phone's captive sheet.</summary>
        RedirectToPortal = 1,

        /// <summary>An ordinary 404 (a probe URL in run mode).</summary>
        NotFound = 2,
    }
}
