using System.Text.Json;
using Mimicry.Status;

namespace Mimicry.Storage;

/// <summary>How stores keep a probe: the whole record as JSON, with state and acknowledgement also as columns.</summary>
public static class ProbeJson
{
    private static JsonSerializerOptions Options => Mimicry.SpecReading.SpecJson.Options;

    public static string Serialize(Probe probe) => JsonSerializer.Serialize(probe, Options);

    /// <summary>The columns are the truth for state and acknowledgement (a bulk acknowledgement only sets the column).</summary>
    public static Probe Deserialize(string json, string state, bool acknowledged) =>
        (JsonSerializer.Deserialize<Probe>(json, Options) ?? throw new InvalidDataException("stored probe is empty"))
            with { State = Enum.Parse<ProbeState>(state), Acknowledged = acknowledged };
}
