namespace Mimicry.IntegrationTests.Reviews;

/// <summary>Synthetic loops with review gates and tripwire bait, written as users write them.</summary>
internal static class ReviewSpecs
{
    public static string Yaml(string name, int branches, int days, int width, string review = "", string tamperDays = "[]", long seed = 5) => $"""
        name: {name}
        researcher:
          id: ada
          name: Ada Example
          description: A careful researcher.
        question: Which symbol does each lemma hold?
        anchor:
          policy: fixed
          time: 2026-11-01T09:00:00Z
        days: {days}
        branches: {branches}
        width: {width}
        selection: {(width > 1 ? $"best-of-{width}" : "all")}
        simulator:
          kind: synthetic
          lemmas: 40
          alphabet: 26
          attempts: 3
          tamperDays: {tamperDays}
        seed: {seed}
        {review}
        """;

    public static async Task<string> FileAsync(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"review-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return file;
    }
}
