namespace Pigeon.Json
{
    /// <summary>The JSON value kinds (RFC 8259 section 3).</summary>
    public enum JsonKind
    {
        /// <summary>null</summary>
        Null,

        /// <summary>true or false</summary>
        Boolean,

        /// <summary>A number, kept as its text so nothing is lost in a round trip.</summary>
        Number,

        /// <summary>A string.</summary>
        String,

        /// <summary>[ ... ]</summary>
        Array,

        /// <summary>{ ... }</summary>
        Object,
    }
}
