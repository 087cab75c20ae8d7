using System.Diagnostics;
using System.Net.Http.Headers;
using Mimicry.Api.Auth;
using Mimicry.Grains;
using Mimicry.Hosting;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Storage.Access;
using Mimicry.Storage.Sqlite;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Mimicry.Benchmarks;

/// <summary>
/// The cost of telemetry (docs/benchmarks.md#tracing): the same loop untraced, with metrics collected as an API host
/// collects them, and with every span of every day exported to an in-process exporter (100 % sampling) — interleaved
/// in one run, medians. Then the series a 10,000-branch loop leaves in a real scrape of <c>/metrics</c>.
/// </summary>
public static class TracingBenchmark
{
    public static async Task<int> RunAsync(bool quick)
    {
        var (branches, days, repeat) = quick ? (100, 10, 1) : (1000, 20, 5);
        var sessions = (long)branches * days * 4;
        Console.WriteLine($"Mimicry tracing benchmark: {Environment.ProcessorCount} cores, {branches} branches x {days} days x 4, medians of {repeat}, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");
        await RunAsync(Workloads.Loop("warmup", 100, 5), Mode.Traced);
        var rates = new Dictionary<Mode, List<double>> { [Mode.Off] = [], [Mode.Metrics] = [], [Mode.Traced] = [] };
        long spans = 0;
        for (var i = 0; i < repeat; i++)
        {
            foreach (var mode in rates.Keys)
            {
                var (elapsed, exported) = await RunAsync(Workloads.Loop($"{mode.ToString().ToLowerInvariant()}-{i}", branches, days), mode);
                rates[mode].Add(sessions / elapsed.TotalSeconds);
                spans = Math.Max(spans, exported);
            }
        }
        double Median(Mode m) => rates[m].Order().ElementAt(rates[m].Count / 2);
        var off = Median(Mode.Off);
        Console.WriteLine($"tracing   telemetry off                          {off,12:N0} sessions/s");
        Console.WriteLine($"tracing   metrics on (as an API host)            {Median(Mode.Metrics),12:N0} sessions/s  = {Median(Mode.Metrics) / off:0.00} x off");
        Console.WriteLine($"tracing   metrics + every span exported          {Median(Mode.Traced),12:N0} sessions/s  = {Median(Mode.Traced) / off:0.00} x off  ({spans / (double)sessions:0.0} spans per session, {spans:N0} in a run)");

        var (series, families, mimicry) = await SeriesAsync(quick ? 1000 : 10_000);
        Console.WriteLine($"series    /metrics after a {(quick ? 1000 : 10_000):N0}-branch loop: {series:N0} series in {families} families; {mimicry} series of the Mimicry meter");
        var (fewSeries, _, fewMimicry) = await SeriesAsync(1);
        Console.WriteLine($"series    /metrics after a 1-branch loop:        {fewSeries:N0} series; {fewMimicry} series of the Mimicry meter");
        return 0;
    }

    private enum Mode { Off, Metrics, Traced }

    private static async Task<(TimeSpan Elapsed, long Spans)> RunAsync(LoopSpec spec, Mode mode)
    {
        var counter = new CountingExporter();
        using var tracing = mode == Mode.Traced
            ? MimicryTelemetryExtensions.AddTraceSources(Sdk.CreateTracerProviderBuilder()).SetSampler(new AlwaysOnSampler()).AddProcessor(new SimpleActivityExportProcessor(counter)).Build()
            : null;
        using var metrics = mode != Mode.Off
            ? Sdk.CreateMeterProviderBuilder().AddMeter([.. MimicryTelemetryExtensions.Meters]).AddInMemoryExporter(new List<Metric>()).Build()
            : null;
        var store = new InMemoryNotebookStore();
        await using var host = await EmbeddedHost.StartAsync(store, TraceExport.None);
        var sw = Stopwatch.StartNew();
        var loop = host.Grains.GetGrain<ILoopGrain>(spec.Name);
        var status = await loop.Start(spec);
        while (status.State == RunState.Running)
        {
            await Task.Delay(25);
            status = await loop.GetStatus();
        }
        var elapsed = sw.Elapsed;
        if (status.State != RunState.Completed)
        {
            throw new InvalidOperationException($"benchmark loop ended badly: {status}");
        }
        tracing?.ForceFlush();
        return (elapsed, counter.Count);
    }

    /// <summary>Runs a loop of <paramref name="branches"/> × 2 days on a host with the API and counts the scrape's series.</summary>
    private static async Task<(int Series, int Families, int Mimicry)> SeriesAsync(int branches)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mimicry-series-" + Guid.NewGuid().ToString("N"));
        var store = SqliteNotebookStore.Open(folder, SqliteSync.Normal);
        try
        {
            var now = DateTimeOffset.UtcNow;
            await store.Access.AddUserAsync(new UserRecord("bench", Roles.Admin, now, "bench"));
            var (record, token) = ApiTokens.Create("bench", "bench", now, null, "bench");
            await store.Access.AddTokenAsync(record);
            await using var host = await EmbeddedHost.StartAsync(store, store.Access, TraceExport.None, new EmbeddedHostOptions());
            var spec = Workloads.Loop($"series-{branches}", branches, 2);
            var loop = host.Grains.GetGrain<ILoopGrain>(spec.Name);
            var status = await loop.Start(spec);
            while (status.State == RunState.Running)
            {
                await Task.Delay(50);
                status = await loop.GetStatus();
            }
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var lines = (await http.GetStringAsync(new Uri(host.ApiUrl!, "/metrics"))).Split('\n');
            var series = lines.Where(l => l.Length > 0 && l[0] != '#').ToList();
            return (series.Count, lines.Count(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)), series.Count(l => l.Contains("otel_scope_name=\"Mimicry\"", StringComparison.Ordinal)));
        }
        finally
        {
            await store.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }

    private sealed class CountingExporter : BaseExporter<Activity>
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var _ in batch)
            {
                Interlocked.Increment(ref _count);
            }
            return ExportResult.Success;
        }
    }
}
