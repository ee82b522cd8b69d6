namespace Pigeon.Json
{
    /// <summary>Why <see cref="JsonReader"/> refused a document, and where.</summary>
    public sealed class JsonError
    {
        /// <summary>Creates an error.</summary>
        public JsonError(int offset, int line, int column, string reason, string path)
        {
            Offset = offset;
            Line = line;
            Column = column;
            Reason = reason;
            Path = path;
        }

        /// <summary>The byte offset of the problem from the start of the text (0-based).</summary>
        public int Offset { get; private set; }

        /// <summary>The line of the problem (1-based).</summary>
        public int Line { get; private set; }

        /// <summary>The column of the problem in bytes (1-based).</summary>
        public int Column { get; private set; }

        /// <summary>What is wrong, in plain words ("expected a : after the key").</summary>
        public string Reason { get; private set; }

        /// <summary>
        /// For a key that appears twice: its path in the config's format ("relay.routes[0].name");
        /// null for a syntax error, which belongs to the document as a whole.
        /// </summary>
        public string Path { get; private set; }

        /// <summary>"line L, column C: reason", or "path appears twice ... (line L, column C)" for a repeated key.</summary>
        public override string ToString()
        {
            string where = "line " + Line.ToString() + ", column " + Column.ToString();
            return Path == null ? where + ": " + Reason : Path + " " + Reason + " (" + where + ")";
        }
    }
}
