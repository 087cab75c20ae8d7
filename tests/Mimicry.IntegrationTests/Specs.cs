using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.IntegrationTests;

/// <summary>Loop specs for tests, written as YAML so they go through the same reader as users' files.</summary>
internal static class Specs
{
    public static string Yaml(string name, int branches = 6, int days = 12, int width = 4, string selection = "best-of-4",
        int lemmas = 3, int alphabet = 10, string latency = "0ms", string notebook = "full", double maxBits = 0, double invalidRate = 0, long seed = 11) => $"""
        name: {name}
        researcher:
          id: ada
          name: Ada Example
          description: A careful researcher.
        question: Which symbol does each lemma hold?
        anchor:
          policy: stepped
          time: 2026-10-01T09:00:00Z
          step: 1d
          everyDays: 5
        days: {days}
        branches: {branches}
        width: {width}
        selection: {selection}
        simulator:
          kind: synthetic
          lemmas: {lemmas}
          alphabet: {alphabet}
          attempts: 2
          invalidRate: {invalidRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}
          latency: {latency}
          notebook: {notebook}
        seed: {seed}
        budgets:
          maxBits: {maxBits.ToString(System.Globalization.CultureInfo.InvariantCulture)}
        """;

    public static LoopSpec Parse(string yaml) => SpecReader.Parse("test.yaml", yaml, new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
}
