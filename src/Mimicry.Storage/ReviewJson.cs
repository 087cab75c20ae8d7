using System.Text.Json;
using Mimicry.Status;

namespace Mimicry.Storage;

/// <summary>How stores keep a review: the whole record as JSON, with what queries need (state, branch, day) as columns.</summary>
public static class ReviewJson
{
    private static JsonSerializerOptions Options => Mimicry.SpecReading.SpecJson.Options;

    public static string Serialize(Review review) => JsonSerializer.Serialize(review, Options);

    public static Review Deserialize(string json) =>
        JsonSerializer.Deserialize<Review>(json, Options) ?? throw new InvalidDataException("stored review is empty");
}
