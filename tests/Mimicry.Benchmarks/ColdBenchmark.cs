using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mimicry.Grains;
using Mimicry.Grains.Branches;
using Mimicry.Grains.Simulators;
using Mimicry.SpecReading;
using Mimicry.Storage.Sqlite;
using Mimicry.Tests.Shared;
using Mimicry.Simulation;

namespace Mimicry.Benchmarks;

/// <summary>
/// The user's path (docs/benchmarks.md#the-users-path): <c>mimicry run SPEC --json</c> as a fresh process, start-up
/// included, beside the plain loop (the same day logic with no Orleans, no API) run cold as a child process the same
/// way, on the same synced SQLite. Medians of 5, interleaved so both see the same machine.
/// </summary>
internal static class ColdBenchmark
{
    /// <summary>What one cold process did: the time it reports, its wall time from start to exit, and its peak RSS.</summary>
    private sealed record Run(double Reported, double Wall, long PeakBytes);

    public static async Task<int> RunAsync(bool quick)
    {
        var repeat = quick ? 1 : 5;
        var scale = quick ? 10 : 1;
        var folder = Directory.CreateTempSubdirectory("mimicry-cold-").FullName;
        Console.WriteLine($"Cold runs: {Environment.ProcessorCount} cores, median of {repeat}, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z; CLI {CliProcess.Dll}");
        var lines = new List<string>();
        foreach (var (name, branches, days) in new[] { ("1k-x-20", 1000 / scale, 20), ("10k-x-5", 10_000 / scale, 5) })
        {
            var sessions = (double)branches * days * 4;
            var spec = Write(folder, name, branches, days);
            var cli = new List<Run>();
            var plain = new List<Run>();
            for (var i = 0; i < repeat; i++)
            {
                cli.Add(await CliAsync(spec, branches * days));
                plain.Add(await PlainAsync(spec));
            }
            var (cliReported, cliWall) = (Median(cli, r => r.Reported), Median(cli, r => r.Wall));
            var (plainReported, plainWall) = (Median(plain, r => r.Reported), Median(plain, r => r.Wall));
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name,-8} cold plain loop     {sessions / plainReported,9:N0} sessions/s reported, {sessions / plainWall,9:N0} by wall time ({plainWall:0.00} s)"));
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name,-8} cold mimicry run    {sessions / cliReported,9:N0} sessions/s reported, {sessions / cliWall,9:N0} by wall time ({cliWall:0.00} s) = {plainWall / cliWall:0.00} x the plain loop by wall time; peak RSS {Median(cli, r => r.PeakBytes) / 1048576.0:N0} MiB"));
            Console.WriteLine(lines[^2]);
            Console.WriteLine(lines[^1]);
        }

        // Start-up: a 1-branch, 1-day loop from process start to exit bounds start-up to the first committed day from above.
        var one = Write(folder, "1-x-1", 1, 1);
        var small = new List<Run>();
        for (var i = 0; i < repeat; i++)
        {
            small.Add(await CliAsync(one, 1));
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"1-x-1    cold mimicry run    {Median(small, r => r.Wall):0.00} s from start to exit (start-up to the first committed day is less), {Median(small, r => r.Reported):0.00} s reported"));
        Console.WriteLine(lines[^1]);

        if (!quick)
        {
            var big = await CliAsync(Write(folder, "100k-x-3", 100_000, 3), 300_000);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"100k-x-3 cold mimicry run    {1_200_000 / big.Reported,9:N0} sessions/s reported, peak RSS {big.PeakBytes / 1048576.0:N0} MiB"));
            Console.WriteLine(lines[^1]);
        }
        Directory.Delete(folder, true);
        return 0;
    }

    /// <summary>The plain loop cold: this program again, as a child process, running only the loop (see <see cref="PlainOnceAsync"/>).</summary>
    private static Task<Run> PlainAsync(string spec)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(ColdBenchmark).Assembly.Location, "--plain-once", spec, Path.Combine(Path.GetDirectoryName(spec)!, $"plain-{Guid.NewGuid():N}") })
        {
            psi.ArgumentList.Add(a);
        }
        // The CLI's runtime settings (its runtimeconfig), so the two differ in what they run, not in how.
        foreach (var (k, v) in CliRuntime())
        {
            psi.Environment[k] = v;
        }
        return MeasureAsync(psi, stdout => JsonDocument.Parse(stdout).RootElement.GetProperty("elapsedSeconds").GetDouble());
    }

    private static Task<Run> CliAsync(string spec, long days)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliProcess.Dll, "run", spec, "--json", "--data", Path.Combine(Path.GetDirectoryName(spec)!, $"data-{Guid.NewGuid():N}") })
        {
            psi.ArgumentList.Add(a);
        }
        return MeasureAsync(psi, stdout =>
        {
            var result = JsonDocument.Parse(stdout).RootElement;
            var done = result.GetProperty("days").GetInt64();
            return done == days ? result.GetProperty("elapsedSeconds").GetDouble() : throw new InvalidOperationException($"mimicry run did {done} of {days} days: {stdout}");
        });
    }

    private static async Task<Run> MeasureAsync(ProcessStartInfo psi, Func<string, double> reported)
    {
        var wall = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + psi.FileName);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peak = 0;
        var status = $"/proc/{p.Id}/status";
        while (!p.HasExited)
        {
            // The kernel's high-water mark of the resident set: the last reading before exit is the peak.
            try
            {
                var hwm = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (hwm is not null)
                {
                    peak = Math.Max(peak, long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
                }
            }
            catch (IOException)
            {
            }
            await Task.WhenAny(p.WaitForExitAsync(), Task.Delay(20));
        }
        await p.WaitForExitAsync();
        var elapsed = wall.Elapsed.TotalSeconds;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', psi.ArgumentList)} exited {p.ExitCode}: {await stderr}");
        }
        return new Run(reported(await stdout), elapsed, peak);
    }

    /// <summary>The runtime settings in the CLI's runtimeconfig.json, as the environment variables that set them for another program.</summary>
    private static Dictionary<string, string> CliRuntime()
    {
        var config = Path.ChangeExtension(CliProcess.Dll, ".runtimeconfig.json");
        var settings = new Dictionary<string, string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(config));
        if (!doc.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var props))
        {
            return settings;
        }
        foreach (var (property, variable) in new[] { ("System.GC.Server", "DOTNET_gcServer"), ("System.GC.Concurrent", "DOTNET_gcConcurrent"), ("System.Runtime.TieredPGO", "DOTNET_TieredPGO"),
            ("System.Runtime.TieredCompilation", "DOTNET_TieredCompilation"), ("System.Runtime.TieredCompilation.QuickJitForLoops", "DOTNET_TC_QuickJitForLoops"),
            ("System.Runtime.TieredCompilation.CallCountingDelayMs", "DOTNET_TC_CallCountingDelayMs") })
        {
            if (props.TryGetProperty(property, out var value))
            {
                // Numbers in DOTNET_ variables are read as hexadecimal.
                settings[variable] = value.ValueKind switch
                {
                    JsonValueKind.True => "1",
                    JsonValueKind.False => "0",
                    _ => value.GetInt32().ToString("x", CultureInfo.InvariantCulture),
                };
            }
        }
        return settings;
    }

    /// <summary>
    /// <c>--plain-once SPEC FOLDER</c>: the plain loop over every branch on a fresh synced SQLite store in FOLDER,
    /// then one JSON line with its elapsed time (from the spec read to the last commit, as <c>mimicry run</c> counts).
    /// </summary>
    public static async Task<int> PlainOnceAsync(string specPath, string folder)
    {
        var wall = Stopwatch.StartNew();
        var spec = SpecReader.Load(specPath, DateTimeOffset.UtcNow);
        await using (var store = SqliteNotebookStore.Open(folder))
        {
            var simulator = new SyntheticSimulator(MimicryClock.System);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Math.Min(spec.Branches, 1024)).Select(async _ =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < spec.Branches)
                {
                    await PlainBranchRunner.RunAsync(spec, b, store, simulator, TimeProvider.System);
                }
            }));
        }
        Console.WriteLine(JsonSerializer.Serialize(new { elapsedSeconds = wall.Elapsed.TotalSeconds }));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, true);
        return 0;
    }

    private static string Write(string folder, string name, int branches, int days)
    {
        var path = Path.Combine(folder, $"{name}.yaml");
        File.WriteAllText(path, Workloads.Yaml($"cold-{name}", branches, days));
        return path;
    }

    private static double Median<T>(IEnumerable<T> runs, Func<T, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
