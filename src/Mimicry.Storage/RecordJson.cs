using System.Text.Json;
using Mimicry.Status;

namespace Mimicry.Storage;

/// <summary>
/// How stores keep probes and reviews: the whole record as JSON, with what queries need (state, loop, branch, day,
/// acknowledgement) also as columns.
/// </summary>
public static class RecordJson
{
    private static JsonSerializerOptions Options => Mimicry.SpecReading.SpecJson.Options;

    public static string Serialize<T>(T record) => JsonSerializer.Serialize(record, Options);

    /// <summary>The columns are the truth for state and acknowledgement (a bulk acknowledgement only sets the column).</summary>
    public static Probe Probe(string json, string state, bool acknowledged) =>
        Read<Probe>(json) with { State = Enum.Parse<ProbeState>(state), Acknowledged = acknowledged };

    public static Review Review(string json) => Read<Review>(json);

    private static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"stored {typeof(T).Name.ToLowerInvariant()} is empty");
}
