// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;
using Pigeon.Reach;

namespace Pigeon.Tests.Portal
{
    /// <summary>A reachability source with a fixed status object and share host.</summary>
    public sealed class FakeReachStatus : IReachStatus
    {
        private readonly string _json;
        private readonly string _shareHost;

        /// <summary>Serves <paramref name="json"/> as the "reach" object and <paramref name="shareHost"/> as the share host.</summary>
        public FakeReachStatus(string json, string shareHost)
        {
            _json = json;
            _shareHost = shareHost;
        }

        /// <inheritdoc />
        public void WriteStatus(TextBuffer text)
        {
            text.Append(_json);
        }

        /// <inheritdoc />
        public string ShareHost()
        {
            return _shareHost;
        }
    }
}
