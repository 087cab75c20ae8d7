using System.Diagnostics;
using System.Globalization;
using Mimicry.Benchmarks;
using Mimicry.Grains;
using Mimicry.Grains.Branches;
using Mimicry.Grains.Simulators;
using Mimicry.Hosting;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Storage.Sqlite;
using Mimicry.Simulation;

// Sessions/s end to end, each beside baselines measured in this same run (see docs/benchmarks.md).
var quick = args.Contains("--quick");
if (args is ["--plain-once", var plainSpec, var plainFolder])
{
    return await ColdBenchmark.PlainOnceAsync(plainSpec, plainFolder);
}
if (args.Contains("--train-tripwires"))
{
    return TripwireTraining.Run();
}
if (args.Contains("--cold"))
{
    return await ColdBenchmark.RunAsync(quick);
}
if (args.Contains("--calibration"))
{
    return CalibrationBenchmark.Run(quick);
}
if (args.Contains("--tracing"))
{
    return await TracingBenchmark.RunAsync(quick);
}
if (args.Contains("--prompts"))
{
    return await PromptBenchmark.RunAsync(quick);
}
if (args.Contains("--web"))
{
    return await WebBenchmark.RunAsync(quick);
}
if (args.Contains("--drift-cost"))
{
    return await DriftCostBenchmark.RunAsync(quick);
}
if (args.Contains("--api-probe"))
{
    return await ApiBenchmark.ProbeAsync(args);
}
if (args.Contains("--api"))
{
    return await ApiBenchmark.RunAsync(quick);
}
if (args.Contains("--cluster"))
{
    return await ClusterBenchmark.RunAsync(quick, args.Contains("--failover-only"));
}
var scale = quick ? 10 : 1;
var repeat = quick ? 1 : 3;
var workloads = new (string Name, int Branches, int Days)[] { ("1k-x-20", 1000 / scale, 20), ("10k-x-5", 10_000 / scale, 5) };
var results = new List<string>();
void Report(string line)
{
    Console.WriteLine(line);
    results.Add(line);
}

Console.WriteLine($"Mimicry benchmark: {Environment.ProcessorCount} cores, {(quick ? "quick" : "full")} mode, median of {repeat}, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");

// Warm-up: JIT and thread pool, so the first measured figure is not the slowest for no reason.
await TimeAsync("sqlite", store => RunLoopAsync(Workloads.Loop("warmup", 200, 5), store));
await TimeAsync("sqlite", store => RunPlainAsync(Workloads.Loop("warmup-plain", 200, 5), store));

// Baseline 1: activate a trivial grain and call it once, 1000 in flight.
double grainRate;
await using (var host = await EmbeddedHost.StartAsync(new InMemoryNotebookStore(), TraceExport.None))
{
    var n = 100_000 / scale;
    var sw = Stopwatch.StartNew();
    await Bounded(n, 1000, i => host.Grains.GetGrain<ITrivialGrain>(i).Ping(i));
    grainRate = n / sw.Elapsed.TotalSeconds;
    Report($"baseline  trivial grain activate+call      {grainRate,12:N0} calls/s");
    sw.Restart();
    await Bounded(n, 1000, i => host.Grains.GetGrain<ITrivialGrain>(i % 1000).Ping(i));
    Report($"baseline  trivial grain call (active)      {n / sw.Elapsed.TotalSeconds,12:N0} calls/s");
}

// --tripwires: only the screening lines below (the detectors' cost beside the unscreened plain loop).
foreach (var (name, branches, days) in args.Contains("--tripwires") ? [] : workloads)
{
    var sessions = (long)branches * days * 4;
    foreach (var storeKind in new[] { "memory", "sqlite", "sqlite-normal" })
    {
        // Baseline 2: the same day logic in a plain async loop, no Orleans, same kind of store.
        var plainRate = await MedianRateAsync(repeat, sessions, () => TimeAsync(storeKind, store => RunPlainAsync(Workloads.Loop($"plain-{name}", branches, days), store)));
        var rate = await MedianRateAsync(repeat, sessions, () => TimeAsync(storeKind, store => RunLoopAsync(Workloads.Loop($"loop-{name}", branches, days), store)));
        Report($"{name,-9} {storeKind,-13} plain loop (no Orleans)      {plainRate,12:N0} sessions/s");
        Report($"{name,-9} {storeKind,-13} Mimicry grains               {rate,12:N0} sessions/s  = {rate / plainRate:0.00} x plain loop, {rate / grainRate:0.00} x trivial-grain rate");
    }
}

// Tripwires on every candidate: the plain loop with the in-loop default detectors beside the same loop with them off.
{
    var (branches, days) = (1000 / scale, 20);
    var sessions = (long)branches * days * 4;
    // Off and on interleaved in pairs, the ratio taken within each pair: this machine's speed drifts between runs
    // by more than screening costs, and a pair's two runs see nearly the same machine.
    var pairs = quick ? 1 : 5;
    var (offRates, onRates, ratios) = (new List<double>(), new List<double>(), new List<double>());
    for (var i = 0; i < pairs; i++)
    {
        offRates.Add(sessions / (await TimeAsync("memory", store => RunPlainAsync(Workloads.Loop("tripwires-off", branches, days, extra: Workloads.NoTripwires), store))).TotalSeconds);
        onRates.Add(sessions / (await TimeAsync("memory", store => RunPlainAsync(Workloads.Loop("tripwires-on", branches, days), store))).TotalSeconds);
        ratios.Add(onRates[^1] / offRates[^1]);
    }
    static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
    Report($"tripwires memory        plain loop, tripwires off  {Median(offRates),12:N0} sessions/s");
    Report($"tripwires memory        plain loop, default on     {Median(onRates),12:N0} sessions/s  = {Median(ratios):0.00} x tripwires off (median of {pairs} interleaved pairs; {ratios.Min():0.00}-{ratios.Max():0.00})");

    // Screening cost per KB of candidate text: ordinary prose beside texts built to make patterns backtrack.
    const string Sentence = "Tried a, b and c for lemma 4; none holds. Next: d to f. ";
    var size = 200_000;
    var ordinary = string.Concat(Enumerable.Repeat(Sentence, size / Sentence.Length + 1))[..size];
    double PerKb(string text)
    {
        var anchor = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        Mimicry.Tripwires.TripwireSet.Check(text, anchor, Mimicry.Tripwires.TripwireSet.Default, [], null);
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            Mimicry.Tripwires.TripwireSet.Check(text, anchor, Mimicry.Tripwires.TripwireSet.Default, [], null);
            times.Add(sw.Elapsed.TotalMicroseconds / (text.Length / 1024.0));
        }
        return times.Order().ElementAt(times.Count / 2);
    }
    var usual = PerKb(ordinary);
    Report($"screening 200 KB ordinary prose                 {usual,12:N1} µs/KB");
    foreach (var (label, unit) in new[] { ("newlines", "\n"), ("newline-space-tab", "\n \t"), ("'in ' repeated", "in "), ("'<' repeated", "<") })
    {
        var adversarial = PerKb(string.Concat(Enumerable.Repeat(unit, size / unit.Length)));
        Report($"screening 200 KB of {label,-22}      {adversarial,12:N1} µs/KB  = {adversarial / usual:0.00} x ordinary prose");
    }
}

// Fan-out: 10,000 sessions of 1 s each, at most 2,000 at once: ideally 5 s.
{
    var spec = Workloads.Loop("fanout", 2500 / scale, 1, latency: "1s", maxConcurrency: 2000 / scale);
    var elapsed = await TimeAsync("sqlite", store => RunLoopAsync(spec, store));
    Report($"fan-out   sqlite {10_000 / scale:N0} sessions x 1 s, cap {2000 / scale:N0}: {elapsed.TotalSeconds:0.00} s = {elapsed.TotalSeconds / 5:0.000} x ideal 5 s");
}
Report($"peak RSS  {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):N0} MiB");
return 0;

static async Task<double> MedianRateAsync(int repeat, long sessions, Func<Task<TimeSpan>> measure)
{
    var rates = new List<double>();
    for (var i = 0; i < repeat; i++)
    {
        rates.Add(sessions / (await measure()).TotalSeconds);
    }
    rates.Sort();
    return rates[rates.Count / 2];
}

static async Task<TimeSpan> TimeAsync(string storeKind, Func<INotebookStore, Task> run)
{
    var folder = Path.Combine(Path.GetTempPath(), "mimicry-bench-" + Guid.NewGuid().ToString("N"));
    INotebookStore store = storeKind switch
    {
        "memory" => new InMemoryNotebookStore(),
        "sqlite-normal" => SqliteNotebookStore.Open(folder, SqliteSync.Normal),
        _ => SqliteNotebookStore.Open(folder),
    };
    try
    {
        var sw = Stopwatch.StartNew();
        await run(store);
        return sw.Elapsed;
    }
    finally
    {
        await store.DisposeAsync();
        if (Directory.Exists(folder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }
}

static async Task RunLoopAsync(LoopSpec spec, INotebookStore store)
{
    await using var host = await EmbeddedHost.StartAsync(store, TraceExport.None);
    var loop = host.Grains.GetGrain<ILoopGrain>(spec.Name);
    var status = await loop.Start(spec);
    while (status.State == RunState.Running)
    {
        await Task.Delay(25);
        status = await loop.GetStatus();
    }
    if (status.State != RunState.Completed || status.DaysDone != (long)spec.Branches * spec.Days)
    {
        throw new InvalidOperationException($"benchmark loop ended badly: {status}");
    }
}

static async Task RunPlainAsync(LoopSpec spec, INotebookStore store)
{
    var simulator = new SyntheticSimulator(MimicryClock.System);
    await Bounded(spec.Branches, spec.Branches, b => PlainBranchRunner.RunAsync(spec, b, store, simulator, TimeProvider.System));
}

static async Task Bounded<T>(int count, int inFlight, Func<int, Task<T>> start)
{
    var next = -1;
    var workers = Enumerable.Range(0, Math.Min(inFlight, count)).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            await start(i);
        }
    });
    await Task.WhenAll(workers);
}
