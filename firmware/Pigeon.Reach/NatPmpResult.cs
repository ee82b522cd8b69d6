namespace Pigeon.Reach
{
    /// <summary>The outcome of one NAT-PMP request.</summary>
    public sealed class NatPmpResult
    {
        /// <summary>True on result code 0 with a well-formed answer.</summary>
        public bool Ok { get; set; }

        /// <summary>True when the gateway never answered (NAT-PMP is off or unsupported).</summary>
        public bool NoAnswer { get; set; }

        /// <summary>The result code of the answer (RFC 6886 3.5); -1 when there was no valid answer.</summary>
        public int ResultCode { get; set; }

        /// <summary>A plain sentence on failure; null on success.</summary>
        public string Message { get; set; }

        /// <summary>External address (address requests).</summary>
        public uint ExternalAddress { get; set; }

        /// <summary>The external port the gateway chose (map requests).</summary>
        public int ExternalPort { get; set; }

        /// <summary>The lifetime granted in seconds (map requests).</summary>
        public int LifetimeSeconds { get; set; }

        /// <summary>A failure.</summary>
        public static NatPmpResult Fail(int code, bool noAnswer, string message)
        {
            NatPmpResult result = new NatPmpResult();
            result.ResultCode = code;
            result.NoAnswer = noAnswer;
            result.Message = message;
            return result;
        }
    }
}
