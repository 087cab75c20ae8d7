using System.Diagnostics;
using System.Globalization;
using Mimicry.Probes;
using Mimicry.Calibration;
using Mimicry.Grains.Branches;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Synthetic;

namespace Mimicry.Benchmarks;

/// <summary>
/// The drift test, measured: seeded synthetic loops with and without injected drift, probes answered by the
/// synthetic calibrator and scored with the real MiniLM scorer, fed to the drift monitor with its default
/// settings. Reports the false-alarm rate per loop and the detection delay (probes from the onset to the alarm).
/// </summary>
internal static class CalibrationBenchmark
{
    private const int Branches = 8;
    private const int Days = 60;
    private const int Onset = 21;

    public static int Run(bool quick)
    {
        var loops = quick ? 40 : 200;
        // MIMICRY_DRIFT_TEST=baseline,slack,threshold,minSigma tries other settings (for tuning the defaults).
        var test = Environment.GetEnvironmentVariable("MIMICRY_DRIFT_TEST") is { Length: > 0 } t
            ? t.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray() is var v ? new DriftTestSpec((int)v[0], v[1], v[2], v[3]) : null!
            : CalibrationReader.DefaultDrift;
        using var scorer = new MiniLmScorer();
        Console.WriteLine($"Mimicry calibration benchmark: {loops} seeded loops per drift size, {Branches} branches × {Days} days, one probe every 2 days (30 per loop), drift from day {Onset}, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");
        Console.WriteLine($"drift test: CUSUM, baseline {test.Baseline} probes, slack {test.Slack}, threshold {test.Threshold}, min sigma {test.MinSigma}");
        var sw = Stopwatch.StartNew();
        foreach (var (label, amount) in new[] { ("none", 0.0), ("small", 0.25), ("moderate", 0.5), ("large", 0.8) })
        {
            int alarms = 0, early = 0;
            var delays = new List<int>();
            for (var seed = 1; seed <= loops; seed++)
            {
                var probes = Probes(seed, amount, scorer);
                var state = DriftMonitor.Evaluate(probes.Select(p => (p.Id, p.Score, false)), test);
                if (!state.Alarm)
                {
                    continue;
                }
                alarms++;
                var at = probes.FindIndex(p => p.Id == state.Evidence[^1].Probe);
                var onsetIndex = probes.FindIndex(p => p.Day >= Onset);
                if (amount == 0 || at < onsetIndex)
                {
                    early++;
                }
                else
                {
                    delays.Add(at - onsetIndex + 1);
                }
            }
            delays.Sort();
            var median = delays.Count == 0 ? double.NaN : delays[delays.Count / 2];
            Console.WriteLine(amount == 0
                ? string.Create(CultureInfo.InvariantCulture, $"drift {label,-9} false alarms {early} of {loops} loops = {100.0 * early / loops:0.0}%")
                : string.Create(CultureInfo.InvariantCulture, $"drift {label,-9} ({amount:0.00}) detected {delays.Count} of {loops} = {100.0 * delays.Count / loops:0.0}%, median delay {median} probes (p90 {(delays.Count == 0 ? double.NaN : delays[(int)(delays.Count * 0.9)])}), alarms before onset {early}"));
        }
        Console.WriteLine($"elapsed {sw.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private static List<(string Id, int Day, double Score)> Probes(int seed, double drift, MiniLmScorer scorer)
    {
        var spec = SpecReader.Parse("bench.yaml", $$"""
            name: calib-{{seed}}
            researcher: { id: ada, name: Ada }
            question: Which symbol does each lemma hold?
            anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
            days: {{Days}}
            branches: {{Branches}}
            simulator: { kind: synthetic, lemmas: 60, alphabet: 26, attempts: 3, driftFromDay: {{Onset}}, driftAmount: {{drift.ToString(CultureInfo.InvariantCulture)}} }
            calibration: { calibrator: { id: ada-herself, kind: synthetic }, rate: 0, minEvery: 2 }
            seed: {{seed}}
            """, new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        var notebooks = Enumerable.Range(0, Branches).Select(_ => new List<string>()).ToArray();
        var pairs = new List<(string Id, int Day, string Real, string Simulated)>();
        for (var day = 1; day <= Days; day++)
        {
            for (var b = 0; b < Branches; b++)
            {
                var request = DayLogic.Request(spec, b, day, 0, spec.Anchor.Time, [.. notebooks[b]]);
                var text = SyntheticResearcher.Write(request);
                if (ProbeSampler.IsSampled(spec, b, day))
                {
                    pairs.Add((ProbeSampler.ProbeId(spec.Name, b, day), day, SyntheticCalibrator.Answer(request), text));
                }
                notebooks[b].Add(text);
            }
        }
        var similarity = scorer.Similarities(pairs.Select(p => (p.Real, p.Simulated)).ToList());
        return pairs.Select((p, i) => (p.Id, p.Day, ProbeScoring.Combine(similarity[i], null))).ToList();
    }
}
