namespace Pigeon.Reach
{
    /// <summary>The outcome of one UPnP action.</summary>
    public sealed class UpnpResult
    {
        /// <summary>True when the router did what was asked.</summary>
        public bool Ok { get; set; }

        /// <summary>The UPnP error code of a fault; 0 when none.</summary>
        public int FaultCode { get; set; }

        /// <summary>A plain sentence on failure; null on success.</summary>
        public string Message { get; set; }

        /// <summary>For AddPortMapping: the lease granted in seconds (0 = permanent).</summary>
        public int LeaseSeconds { get; set; }

        /// <summary>For GetExternalIPAddress: the address (0 = none reported).</summary>
        public uint ExternalAddress { get; set; }

        /// <summary>A failure with a sentence.</summary>
        public static UpnpResult Fail(int code, string message)
        {
            UpnpResult result = new UpnpResult();
            result.FaultCode = code;
            result.Message = message;
            return result;
        }
    }
}
