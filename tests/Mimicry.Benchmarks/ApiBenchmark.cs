using System.Diagnostics;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Grains;
using Mimicry.Hosting;
using Mimicry.Storage.Access;
using Mimicry.Storage.Sqlite;

namespace Mimicry.Benchmarks;

/// <summary>
/// The front door under load: submit → first committed day through the API, and status and notebook-page requests
/// over real HTTP (Kestrel on 127.0.0.1, signed in with a token) while a 1,000-branch loop runs, each beside the same
/// read as an in-process grain call, measured in the same run (docs/benchmarks.md). Latencies are sampled at one
/// call every 5 ms for both, so a GC pause weighs the same in both percentiles.
/// </summary>
internal static class ApiBenchmark
{
    public static async Task<int> RunAsync(bool quick)
    {
        var branches = quick ? 100 : 1000;
        var window = TimeSpan.FromSeconds(quick ? 1 : 4);
        var folder = Path.Combine(Path.GetTempPath(), $"mimicry-apibench-{Guid.NewGuid():N}");
        await using var store = SqliteNotebookStore.Open(folder);
        await using var host = await EmbeddedHost.StartAsync(store, store.Access, TraceExport.None, new EmbeddedHostOptions());
        await store.Access.AddUserAsync(new UserRecord("bench", Roles.Admin, DateTimeOffset.UtcNow, "bench"));
        var (record, token) = ApiTokens.Create("bench", "bench", DateTimeOffset.UtcNow, null, "bench");
        await store.Access.AddTokenAsync(record);
        using var client = new MimicryClient(host.ApiUrl!, token);
        Console.WriteLine($"Mimicry API benchmark: {Environment.ProcessorCount} cores, {branches} branches x width 4, windows of {window.TotalSeconds:0} s, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");

        // Warm-up: the first requests pay for JIT and connection set-up.
        await client.SubmitAsync(Workloads.Yaml("api-warmup", 10, 2), "warmup.yaml");
        for (var i = 0; i < 300; i++)
        {
            await client.GetLoopAsync("api-warmup");
            await client.GetNotebookAsync("api-warmup", 0, 1, 20);
        }

        foreach (var latency in new[] { "1s", "100ms" })
        {
            var name = $"api-load-{latency}";
            // Submit → first committed day: the floor is one session's latency.
            var sw = Stopwatch.StartNew();
            await client.SubmitAsync(Workloads.Yaml(name, branches, 500, latency: latency, maxConcurrency: 4096), $"{name}.yaml");
            var submitted = sw.Elapsed;
            while ((await client.GetLoopAsync(name)).Days < 1)
            {
                await Task.Delay(2);
            }
            var firstDay = sw.Elapsed;
            var sessionMs = latency == "1s" ? 1000.0 : 100.0;
            Console.WriteLine($"sessions of {latency}:");
            Console.WriteLine($"  submit    POST /loops answered                  {submitted.TotalMilliseconds,9:N1} ms");
            Console.WriteLine($"  submit    → first committed day                {firstDay.TotalMilliseconds,9:N1} ms  = {firstDay.TotalMilliseconds / sessionMs:0.00} x one session's latency");

            var grain = host.Grains.GetGrain<ILoopGrain>(name);
            var viaGrain = await PacedAsync(window, () => grain.GetStatus());
            Console.WriteLine($"  baseline  ILoopGrain.GetStatus (in process)    {Describe(viaGrain)}");
            // A client is another process (the CLI, a browser): its own thread pool, so only the server's time is measured.
            foreach (var line in await ProbeInChildAsync(host.ApiUrl!, token, name, branches, window))
            {
                Console.WriteLine($"  {line}");
            }

            var grainRate = await RateAsync(window, 16, _ => grain.GetStatus());
            var statusRate = await RateAsync(window, 16, _ => client.GetLoopAsync(name));
            var pageRate = await RateAsync(window, 16, i => client.GetNotebookAsync(name, i % branches, 1, 20));
            var progress = await client.GetLoopAsync(name);
            Console.WriteLine($"  baseline  ILoopGrain.GetStatus, 16 in flight   {grainRate,9:N0} calls/s");
            Console.WriteLine($"  status    GET /loops/{{loop}}, 16 in flight      {statusRate,9:N0} requests/s  = {statusRate / grainRate:0.000} x the grain call");
            Console.WriteLine($"  notebook  notebook pages, 16 in flight         {pageRate,9:N0} requests/s  = {pageRate / grainRate:0.000} x the grain call");
            Console.WriteLine($"  load      the loop meanwhile: {progress.Days:N0} days, {progress.Sessions:N0} sessions, {progress.Sessions / sw.Elapsed.TotalSeconds:N0} sessions/s");
            await client.CancelAsync(name, "benchmark over");
        }
        return 0;
    }

    /// <summary>Runs <see cref="ProbeAsync"/> in a child process (this program with --api-probe) and returns its lines.</summary>
    private static async Task<IReadOnlyList<string>> ProbeInChildAsync(Uri url, string token, string loop, int branches, TimeSpan window)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(ApiBenchmark).Assembly.Location, "--api-probe", url.ToString(), loop, branches.ToString(System.Globalization.CultureInfo.InvariantCulture), window.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        using var child = Process.Start(start)!;
        // The token goes over stdin, never on a command line.
        await child.StandardInput.WriteLineAsync(token);
        child.StandardInput.Close();
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The child's side: paced status, notebook-page and health requests, one every 5 ms each, over real HTTP.</summary>
    public static async Task<int> ProbeAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--api-probe");
        var (url, loop, branches, seconds) = (new Uri(args[at + 1]), args[at + 2], int.Parse(args[at + 3], System.Globalization.CultureInfo.InvariantCulture), double.Parse(args[at + 4], System.Globalization.CultureInfo.InvariantCulture));
        var token = (await Console.In.ReadLineAsync())!.Trim();
        using var client = new MimicryClient(url, token);
        using var raw = new HttpClient { BaseAddress = url };
        for (var i = 0; i < 200; i++)
        {
            await client.GetLoopAsync(loop); // warm this process's JIT and connections
        }
        var window = TimeSpan.FromSeconds(seconds);
        var health = await PacedAsync(window, () => raw.GetStringAsync("/healthz"));
        var status = await PacedAsync(window, () => client.GetLoopAsync(loop));
        var page = await PacedAsync(window, () => client.GetNotebookAsync(loop, Random.Shared.Next(branches), 1, 20));
        Console.WriteLine($"health    GET /healthz (no sign-in), other process {Describe(health)}");
        Console.WriteLine($"status    GET /loops/{{loop}}, other process     {Describe(status)}");
        Console.WriteLine($"notebook  GET …/notebook?limit=20, other process {Describe(page)}");
        return 0;
    }

    /// <summary>One call every 5 ms (or right after the previous one if it took longer) for the window.</summary>
    private static async Task<List<double>> PacedAsync<T>(TimeSpan window, Func<Task<T>> call)
    {
        var latencies = new List<double>();
        var sw = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        while (sw.Elapsed < window)
        {
            if (sw.Elapsed < next)
            {
                await Task.Delay(next - sw.Elapsed);
            }
            next += TimeSpan.FromMilliseconds(5);
            var t = Stopwatch.GetTimestamp();
            await call();
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        latencies.Sort();
        return latencies;
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    private static string Describe(List<double> l) =>
        $"p50 {Percentile(l, 0.5),6:N2} ms  p99 {Percentile(l, 0.99),7:N2} ms  max {l[^1],7:N2} ms ({l.Count:N0})";

    private static async Task<double> RateAsync<T>(TimeSpan window, int inFlight, Func<int, Task<T>> call)
    {
        var sw = Stopwatch.StartNew();
        var count = 0;
        var workers = Enumerable.Range(0, inFlight).Select(async w =>
        {
            for (var i = w; sw.Elapsed < window; i += inFlight)
            {
                await call(i);
                Interlocked.Increment(ref count);
            }
        });
        await Task.WhenAll(workers);
        return count / sw.Elapsed.TotalSeconds;
    }
}
