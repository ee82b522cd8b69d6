namespace Pigeon.Portal
{
    /// <summary>The kind of a parsed JSON value.</summary>
    public enum JsonKind
    {
        /// <summary>null.</summary>
        Null = 0,

        /// <summary>true or false.</summary>
        Bool = 1,

        /// <summary>A number (see <see cref="JsonValue.IsInteger"/>).</summary>
        Number = 2,

        /// <summary>A string.</summary>
        String = 3,

        /// <summary>An array.</summary>
        Array = 4,

        /// <summary>An object.</summary>
        Object = 5,
    }
}
