using System.Text.Json;
using System.Text.Json.Serialization;
using Mimicry.Spec;
using Mimicry.Text;

namespace Mimicry.SpecReading;

/// <summary>The canonical JSON form of a validated spec: what the store keeps, and what its hash is taken of.</summary>
public static class SpecJson
{
    /// <summary>How stores write records as JSON: camelCase names, enums as camelCase text.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(LoopSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static LoopSpec Deserialize(string json) =>
        JsonSerializer.Deserialize<LoopSpec>(json, Options) ?? throw new InvalidDataException("stored spec is empty");

    public static string Hash(LoopSpec spec) => ContentHash.Of(Serialize(spec));
}
