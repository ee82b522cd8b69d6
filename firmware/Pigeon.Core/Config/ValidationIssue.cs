namespace Pigeon.Config
{
    /// <summary>One problem found in a config: the field's path and a plain reason.</summary>
    public class ValidationIssue
    {
        /// <summary>Creates an issue.</summary>
        public ValidationIssue(string path, string message)
        {
            Path = path;
            Message = message;
        }

        /// <summary>The field, e.g. "relay.routes[1].listenPort"; "(document)" for the whole file.</summary>
        public string Path { get; private set; }

        /// <summary>What is wrong, in words a volunteer understands (never echoes a secret).</summary>
        public string Message { get; private set; }

        /// <summary>"path: message".</summary>
        public override string ToString()
        {
            return Path + ": " + Message;
        }
    }
}
