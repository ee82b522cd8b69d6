using System.Text.Json.Serialization;
using Pigeon.Portal;

namespace Pigeon.Host
{
    /// <summary>
    /// System.Text.Json's generated reader for the --fake-wifi list: the reflection-based one
    /// cannot be trimmed or compiled ahead of time (the packaged builds are both).
    /// </summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
    [JsonSerializable(typeof(WifiNetwork[]))]
    internal sealed partial class FakeWifiJson : JsonSerializerContext
    {
    }
}
