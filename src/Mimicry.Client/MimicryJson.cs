using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimicry.Client;

/// <summary>How the API writes and reads JSON: camelCase names, enums as camelCase text, and unknown fields refused.</summary>
public static class MimicryJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
