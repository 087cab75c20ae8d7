using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.Benchmarks;

internal static class Workloads
{
    public static LoopSpec Loop(string name, int branches, int days, string latency = "0ms", int maxConcurrency = 1024, string extra = "") =>
        SpecReader.Parse("bench.yaml", Yaml(name, branches, days, latency, maxConcurrency) + "\n" + extra, DateTimeOffset.UtcNow);

    /// <summary>A spec section that turns every tripwire off: the baseline the in-loop screening is measured against.</summary>
    public const string NoTripwires = "tripwires: { futureLeakage: false, readerDirected: false, outOfDistribution: 0 }";

    /// <summary>The benchmark loop as a spec file's text (cluster runs submit it as a file).</summary>
    public static string Yaml(string name, int branches, int days, string latency = "0ms", int maxConcurrency = 1024, int lemmas = 1000) => $$"""
        name: {{name}}
        researcher: { id: bench, name: Bench Researcher }
        question: Which symbol does each lemma hold?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: {{days}}
        branches: {{branches}}
        width: 4
        selection: best-of-4
        simulator: { kind: synthetic, lemmas: {{lemmas}}, alphabet: 26, attempts: 3, latency: {{latency}}, maxConcurrency: {{maxConcurrency}} }
        seed: 1
        """;
}
