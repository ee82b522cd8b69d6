namespace Pigeon.Abuse
{
    /// <summary>One side's account of a transfer: what it sent and received, and their SHA-256.</summary>
    public sealed class TransferRecord
    {
        /// <summary>Bytes received (after the header).</summary>
        public long ReceivedBytes { get; set; }

        /// <summary>SHA-256 (hex) of the bytes received.</summary>
        public string ReceivedHash { get; set; }

        /// <summary>Bytes sent.</summary>
        public long SentBytes { get; set; }

        /// <summary>SHA-256 (hex) of the bytes sent.</summary>
        public string SentHash { get; set; }

        /// <summary>True when the receiving side ended with a FIN (false: a reset or an error).</summary>
        public bool EndedByFin { get; set; }

        /// <summary>True when every byte meant to be sent was sent.</summary>
        public bool SentAll { get; set; }

        /// <summary>Seconds from the start to the end of the transfer.</summary>
        public double Seconds { get; set; }

        /// <summary>The longest wait between two reads that returned bytes (ms).</summary>
        public double MaxStallMs { get; set; }

        /// <summary>Milliseconds from the start until the receiving side ended.</summary>
        public double EndedAtMs { get; set; }

        /// <summary>What ended the transfer early (an exception's type and message), or null.</summary>
        public string Error { get; set; }

        /// <summary>Where the client's sending stands while it runs (for a transfer that never ends).</summary>
        public string Stage { get; set; } = "sending";

        /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp of the last read that returned bytes.</summary>
        public long LastReceivedAt { get; set; }

        /// <summary>Set last: the record is complete.</summary>
        public bool Done { get; set; }
    }
}
