namespace Mimicry.IntegrationTests.Api;

/// <summary>Specs for API tests.</summary>
internal static class ApiSpecs
{
    /// <summary>Held at day 2 for review on every branch; every day a probe for calibrator alice.</summary>
    public static string Desk(string name = "desk", int branches = 2, int days = 4) => $"""
        name: {name}
        researcher:
          id: ada
          name: Ada Example
          description: A careful number theorist.
        question: Which symbol does each lemma hold?
        anchor:
          policy: fixed
          time: 2026-11-01T09:00:00Z
        days: {days}
        branches: {branches}
        width: 2
        selection: best-of-2
        seed: 7
        review: {"{"} everyDays: 2 {"}"}
        calibration:
          calibrator: {"{"} id: alice, kind: human {"}"}
          rate: 1
        """;

    public static string Plain(string name, int branches = 3, int days = 5, string latency = "0ms") => $"""
        name: {name}
        researcher:
          id: ada
          name: Ada Example
        question: Which symbol does each lemma hold?
        anchor:
          policy: fixed
          time: 2026-11-01T09:00:00Z
        days: {days}
        branches: {branches}
        width: 2
        simulator:
          kind: synthetic
          latency: {latency}
        """;
}
