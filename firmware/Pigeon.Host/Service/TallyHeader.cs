namespace Pigeon.Host.Service
{
    /// <summary>What the tally file (<see cref="TallyFile"/>) says besides its buckets.</summary>
    public sealed class TallyHeader
    {
        /// <summary>The process that wrote it.</summary>
        public int Pid { get; set; }

        /// <summary>When it was written (ms since 1970).</summary>
        public long SavedAtMs { get; set; }

        /// <summary>When the daily line was last logged (ms since 1970).</summary>
        public long LastLoggedMs { get; set; }
    }
}
