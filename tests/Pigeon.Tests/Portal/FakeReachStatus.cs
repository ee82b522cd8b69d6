// Shared test file: compiles under MSTest (here) and nanoFramework.TestFramework (on the board).
using Pigeon.Portal;
using Pigeon.Json;
using Pigeon.Text;

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
        public void WriteStatus(JsonWriter json)
        {
            byte[] bytes = Utf8.GetBytes(_json);
            JsonError error;
            json.Value(JsonReader.Parse(bytes, 0, bytes.Length, 8, out error));
        }

        /// <inheritdoc />
        public string ShareHost()
        {
            return _shareHost;
        }
    }
}
