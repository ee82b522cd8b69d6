using Pigeon.Testing;

namespace Pigeon.Abuse
{
    /// <summary>Looks for every secret in every answer the portal gives; keeps the first leak found.</summary>
    public sealed class Leaks
    {
        private readonly Secrets _secrets;
        private readonly object _lock = new object();

        /// <summary>Leaks looked for in <paramref name="secrets"/>.</summary>
        public Leaks(Secrets secrets)
        {
            _secrets = secrets;
        }

        /// <summary>Answers that held a secret.</summary>
        public int Count { get; private set; }

        /// <summary>Answers inspected.</summary>
        public int Answers { get; private set; }

        /// <summary>"what: which secret" of the first leak (null when none).</summary>
        public string First { get; private set; }

        /// <summary>Looks at one answer (headers and body).</summary>
        public void Inspect(string what, HttpAnswer answer)
        {
            string found = _secrets.FoundIn(answer.Raw);
            lock (_lock)
            {
                Answers++;
                if (found != null)
                {
                    Count++;
                    First ??= what + ": " + found;
                }
            }
        }
    }
}
