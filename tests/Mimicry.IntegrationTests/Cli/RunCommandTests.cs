using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mimicry.Storage.Sqlite;

namespace Mimicry.IntegrationTests.Cli;

public sealed class RunCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly List<string> _cleanup = [];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in _cleanup)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private string Folder(string tag)
    {
        var f = CliProcess.TempFolder(tag);
        _cleanup.Add(f);
        return f;
    }

    private string SpecFile(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mimicry-spec-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        _cleanup.Add(path);
        return path;
    }

    private static async Task<string> NotebookJsonlAsync(string folder, string loop)
    {
        var r = await CliProcess.RunAsync(Limit, "notebook", loop, "--data", folder, "--format", "jsonl");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout;
    }

    private static long CommittedDays(string folder)
    {
        var db = Path.Combine(folder, SqliteNotebookStore.FileName);
        if (!File.Exists(db))
        {
            return 0;
        }
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'days'";
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            return 0;
        }
        cmd.CommandText = "SELECT count(*) FROM days";
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task Run_KilledMidRunThenRunAgain_NotebooksEqualAnUninterruptedRun()
    {
        var spec = SpecFile(Specs.Yaml("crash", branches: 40, days: 40, lemmas: 40, latency: "60ms"));
        var reference = Folder("crash-ref");
        var crashed = Folder("crash-kill");

        var full = await CliProcess.RunAsync(Limit, "run", spec, "--data", reference, "--json");
        Assert.True(full.ExitCode == 0, full.Stderr);

        // Kill with SIGKILL once a good part (but not all) of the days is committed, twice.
        for (var round = 0; round < 2; round++)
        {
            using var p = CliProcess.Start("run", spec, "--data", crashed);
            var target = 300 + round * 500;
            var deadline = DateTime.UtcNow + Limit;
            while (CommittedDays(crashed) < target && !p.HasExited)
            {
                Assert.True(DateTime.UtcNow < deadline, $"round {round}: only {CommittedDays(crashed)} days committed");
                await Task.Delay(20);
            }
            Assert.False(p.HasExited, $"round {round}: the run finished before it could be killed; make the loop longer");
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        var killedAt = CommittedDays(crashed);
        Assert.InRange(killedAt, 800, 40 * 40 - 1);

        var resumed = await CliProcess.RunAsync(Limit, "run", spec, "--data", crashed, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        using var json = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());

        var expected = await NotebookJsonlAsync(reference, "crash");
        var actual = await NotebookJsonlAsync(crashed, "crash");
        Assert.Equal(40 * 40, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Run_Interrupted_StopsCleanlyWith130_AndTheNextRunFinishes()
    {
        var spec = SpecFile(Specs.Yaml("interrupt", branches: 20, days: 40, lemmas: 40, latency: "60ms"));
        var folder = Folder("interrupt");
        using (var p = CliProcess.Start("run", spec, "--data", folder))
        {
            var stderr = p.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow + Limit;
            while (CommittedDays(folder) < 100 && !p.HasExited)
            {
                Assert.True(DateTime.UtcNow < deadline, "no progress before the interrupt");
                await Task.Delay(20);
            }
            Assert.False(p.HasExited, "the run finished before it could be interrupted");
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(cts.Token);
            Assert.Equal(130, p.ExitCode);
            Assert.Contains("run the same command again to resume", await stderr, StringComparison.Ordinal);
        }
        Assert.InRange(CommittedDays(folder), 100, 20 * 40 - 1);
        var status = await CliProcess.RunAsync(Limit, "status", "--data", folder, "--json");
        using (var doc = JsonDocument.Parse(status.Stdout))
        {
            var loop = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("interrupted", loop.GetProperty("status").GetString());
            Assert.Equal(0, loop.GetProperty("branchesFinished").GetInt32());
        }

        var resumed = await CliProcess.RunAsync(Limit, "run", spec, "--data", folder, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var lines = (await NotebookJsonlAsync(folder, "interrupt")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20 * 40, lines.Length);
        Assert.Equal(lines.Length, lines.Distinct().Count());
    }

    [Fact]
    public async Task Run_SameSpecAndSeed_SameNotebooksByteForByte_AnotherSeedDiffers()
    {
        var specA = SpecFile(Specs.Yaml("same", branches: 6, days: 8, lemmas: 40, seed: 5));
        var specB = SpecFile(Specs.Yaml("same", branches: 6, days: 8, lemmas: 40, seed: 6));
        var (first, second, other) = (Folder("det-1"), Folder("det-2"), Folder("det-3"));
        foreach (var (spec, folder) in new[] { (specA, first), (specA, second), (specB, other) })
        {
            var r = await CliProcess.RunAsync(Limit, "run", spec, "--data", folder);
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        var a = await NotebookJsonlAsync(first, "same");
        Assert.Equal(6 * 8, a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(a, await NotebookJsonlAsync(second, "same"));
        Assert.NotEqual(a, await NotebookJsonlAsync(other, "same"));
    }

    [Fact]
    public async Task Run_Json_PrintsOneObjectWithTheOutcome_AndASecondRunRedoesNothing()
    {
        var spec = SpecFile(Specs.Yaml("json-out", branches: 5, days: 4, lemmas: 40));
        var folder = Folder("json");
        var r = await CliProcess.RunAsync(Limit, "run", spec, "--data", folder, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using (var doc = JsonDocument.Parse(r.Stdout))
        {
            var o = doc.RootElement;
            Assert.Equal("json-out", o.GetProperty("loop").GetString());
            Assert.Equal("completed", o.GetProperty("status").GetString());
            Assert.Equal(5, o.GetProperty("branches").GetInt32());
            Assert.Equal(20, o.GetProperty("days").GetInt64());
            Assert.Equal(80, o.GetProperty("sessions").GetInt64());
            Assert.Equal(20, o.GetProperty("entries").GetInt64());
            Assert.Equal(40.0, o.GetProperty("bitsSpent").GetDouble(), 9);
            Assert.True(o.GetProperty("elapsedSeconds").GetDouble() > 0);
            Assert.Equal(folder, o.GetProperty("dataFolder").GetString());
        }
        var before = await NotebookJsonlAsync(folder, "json-out");
        var again = await CliProcess.RunAsync(Limit, "run", spec, "--data", folder, "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        using (var doc = JsonDocument.Parse(again.Stdout))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("sessionsThisRun").GetInt64());
            Assert.Equal(20, doc.RootElement.GetProperty("entries").GetInt64());
        }
        Assert.Equal(before, await NotebookJsonlAsync(folder, "json-out"));
    }

    [Fact]
    public async Task Run_BadSpec_ExitsTwo_NamesTheField_WritesNothing()
    {
        var spec = SpecFile(Specs.Yaml("bad", branches: 1).Replace("branches: 1", "branches: 0", StringComparison.Ordinal));
        var folder = Folder("bad");
        var r = await CliProcess.RunAsync(Limit, "run", spec, "--data", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"{Path.GetFileName(spec)}: branches: must be between 1 and 1000000 (got 0)", r.Stderr.Trim());
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.False(Directory.Exists(folder), "a rejected spec must leave no data folder behind");
    }

    [Theory]
    [InlineData("00:00:00", "mimicry: invalid setting: Mimicry:Loops:WatchPeriod: must be between 00:00:00.1 and 01:00:00 (got 00:00:00)")]
    [InlineData("banana", "mimicry: invalid setting: Failed to convert configuration value 'banana' at 'Mimicry:Loops:WatchPeriod' to type 'System.TimeSpan'")]
    public async Task Run_BadSetting_ExitsTwo_NamesTheSetting_WritesNothing(string value, string expected)
    {
        var folder = Folder("bad-setting");
        var env = new Dictionary<string, string> { ["Mimicry__Loops__WatchPeriod"] = value };
        var r = await CliProcess.RunAsync(Limit, env, "run", SpecFile(Specs.Yaml("setting", branches: 1, days: 1)), "--data", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(expected, r.Stderr.Trim());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Run_ChangedSpecUnderTheSameName_ExitsTwo()
    {
        var folder = Folder("changed");
        var first = await CliProcess.RunAsync(Limit, "run", SpecFile(Specs.Yaml("same-name", branches: 1, days: 2)), "--data", folder);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = await CliProcess.RunAsync(Limit, "run", SpecFile(Specs.Yaml("same-name", branches: 1, days: 3)), "--data", folder);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("a loop named 'same-name' already exists", second.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("notebook")]
    [InlineData("frobnicate")]
    [InlineData("status", "--json", "--bogus")]
    [InlineData("notebook", "x", "--format", "pdf")]
    public async Task BadArguments_ExitTwo_WithAHint(params string[] args)
    {
        var r = await CliProcess.RunAsync(Limit, args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("mimicry: ", r.Stderr);
        Assert.Contains("--help", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_JsonWithConsoleTraces_IsRefusedBeforeAnythingRuns()
    {
        var folder = Folder("trace-json");
        var r = await CliProcess.RunAsync(Limit, "run", SpecFile(Specs.Yaml("tj", branches: 1, days: 1)), "--data", folder, "--json", "--trace", "console");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("mimicry: --trace console prints spans on stdout, where --json prints its result; use one of them, or --trace otlp", r.Stderr.Trim());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Notebook_UnknownLoop_ExitsTwo()
    {
        var folder = Folder("empty");
        var r = await CliProcess.RunAsync(Limit, "notebook", "nope", "--data", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"mimicry: no loop named 'nope' in {folder} (it holds no loops)", r.Stderr.Trim());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Version_And_Help_Work()
    {
        var v = await CliProcess.RunAsync(Limit, "--version");
        Assert.Equal(0, v.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", v.Stdout.Trim());
        foreach (var cmd in new[] { "run", "status", "notebook" })
        {
            var h = await CliProcess.RunAsync(Limit, cmd, "--help");
            Assert.Equal(0, h.ExitCode);
            Assert.Contains("--data", h.Stdout, StringComparison.Ordinal);
        }
    }
}
