using System.Diagnostics;
using System.Globalization;
using Mimicry.Probes;
using Mimicry.Grains;
using Mimicry.Grains.Calibration;
using Mimicry.Sessions;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Storage.Sqlite;
using Mimicry.Synthetic;
using Mimicry.Simulation;

namespace Mimicry.Benchmarks;

/// <summary>
/// What the drift test costs a sampled day as the loop's probes pile up: a loop already holding 100 and one holding
/// 10,000 scored probes (each with a 20-entry notebook) in a real SQLite store, then sampled days through
/// <see cref="CalibrationService.OnDayAsync"/> (probe stored, answered by the synthetic calibrator, drift test run).
/// Beside it, in the same run, the old way: listing every probe to recompute the test. A word-overlap scorer keeps
/// the embedding model's cost (the same for every probe) out of the comparison.
/// </summary>
internal static class DriftCostBenchmark
{
    private sealed class Overlap : IProbeScorer
    {
        public string Name => "overlap";

        public double Similarity(string real, string simulated) =>
            real.Split(' ').Intersect(simulated.Split(' ')).Count() / (double)Math.Max(1, real.Split(' ').Union(simulated.Split(' ')).Count());
    }

    public static async Task<int> RunAsync(bool quick)
    {
        var days = quick ? 50 : 200;
        Console.WriteLine($"Mimicry drift-test cost: {days} sampled days on a loop already holding N scored probes (SQLite, 20-entry notebooks), {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");
        var perDay = new Dictionary<int, (double Incremental, double FullList)>();
        foreach (var n in new[] { 100, 10_000 })
        {
            perDay[n] = await MeasureAsync(n, days);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"probes {n,6:N0}  sampled day (probe + answer + drift test) {perDay[n].Incremental,9:0.000} ms   old way (list every probe) {perDay[n].FullList,9:0.000} ms"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio 10,000 / 100 probes: incremental {perDay[10_000].Incremental / perDay[100].Incremental:0.00}x   old way {perDay[10_000].FullList / perDay[100].FullList:0.00}x"));
        return 0;
    }

    private static async Task<(double, double)> MeasureAsync(int existing, int days)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mimicry-drift-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = SqliteNotebookStore.Open(folder);
            var spec = SpecReader.Parse("bench.yaml", """
                name: drift-cost
                researcher: { id: ada, name: Ada }
                question: Which symbol does each lemma hold?
                anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
                days: 100000
                branches: 1
                calibration: { calibrator: { id: ada-herself, kind: synthetic }, rate: 0, minEvery: 1, drift: { baseline: 10, threshold: 1000 } }
                """, DateTimeOffset.UtcNow);
            await store.CreateLoopAsync(new LoopRecord(spec.Name, SpecJson.Serialize(spec), SpecJson.Hash(spec), RunState.Running, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
            var notebook = Enumerable.Range(1, 20).Select(i => $"2026-11-01. Entry {i}: " + string.Concat(Enumerable.Repeat("the lemma holds a symbol; ", 12))).ToArray();
            var now = DateTimeOffset.UtcNow;
            foreach (var chunk in Enumerable.Range(1, existing).Chunk(500))
            {
                await Task.WhenAll(chunk.Select(day => store.AddProbeAsync(new Probe($"drift-cost/0/{day}", spec.Name, "ada", "ada-herself", 0, day, spec.Anchor.Time, spec.Question,
                    notebook, "simulated words", now, now.AddDays(7), ProbeState.Answered, "real words", now, null, 0.5, 0.5 + (day % 7) / 100.0))));
            }
            var service = new CalibrationService(store, new Overlap(), new MimicryClock(TimeProvider.System));
            await service.EvaluateAsync(spec); // the silo's first look reads every score once
            var sw = Stopwatch.StartNew();
            for (var day = existing + 1; day <= existing + days; day++)
            {
                var request = new SessionRequest(new SessionKey(spec.Name, 0, day, 0), spec.Anchor.Time, spec.Researcher, spec.Question, notebook, spec.Seed, spec.Simulator);
                await service.OnDayAsync(spec, request, SyntheticCalibrator.Answer(request));
            }
            var incremental = sw.Elapsed.TotalMilliseconds / days;
            var rounds = Math.Max(5, days / 10);
            sw.Restart();
            for (var i = 0; i < rounds; i++)
            {
                CalibrationService.Evaluate(await store.ListProbesAsync(spec.Name), spec.Calibration!.Drift);
            }
            return (incremental, sw.Elapsed.TotalMilliseconds / rounds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
