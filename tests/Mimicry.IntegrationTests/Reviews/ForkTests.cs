using System.Text.Json;
using Mimicry.Storage.Sqlite;

namespace Mimicry.IntegrationTests.Reviews;

/// <summary>Forks through the CLI: a new branch that shares its parent's first days (read, not copied), with lineage and charges.</summary>
public sealed class ForkTests
{
    private readonly string _data = CliProcess.TempFolder("fork");

    private Task<CliProcess.Result> Cli(params string[] args) => CliProcess.RunAsync(TimeSpan.FromMinutes(2), [.. args, "--data", _data]);

    private async Task<List<JsonElement>> JsonLinesAsync(string loop, params string[] extra)
    {
        var nb = await Cli(["notebook", loop, "--format", "jsonl", .. extra]);
        Assert.True(nb.ExitCode == 0, nb.Stderr);
        return nb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static string Key(JsonElement l) => $"{l.GetProperty("day").GetInt32()}|{l.GetProperty("text").GetString()}|{l.GetProperty("hash").GetString()}|{l.GetProperty("session").GetString()}|{l.GetProperty("seed").GetInt64()}";

    [Fact]
    public async Task AFork_SharesItsParentsPrefix_RunsOnWithItsChanges_AndShowsItsLineage()
    {
        var spec = await ReviewSpecs.FileAsync(ReviewSpecs.Yaml("parent", branches: 3, days: 8, width: 2));
        Assert.Equal(0, (await Cli("run", spec)).ExitCode);
        var parent = await JsonLinesAsync("parent", "--branch", "1");

        var fork = await Cli("fork", "parent", "--branch", "1", "--from-day", "4", "--set", "days=10", "--json");
        Assert.True(fork.ExitCode == 0, fork.Stderr);
        Assert.StartsWith("Fork 'parent-b1d4': branch 1 of 'parent' after day 4, with days=10; forking charges 1 bits.", fork.Stderr, StringComparison.Ordinal);
        var lines = await JsonLinesAsync("parent-b1d4");
        Assert.Equal(Enumerable.Range(1, 10), lines.Select(l => l.GetProperty("day").GetInt32()));
        // Days 1-4 are the parent's, entry for entry, and say so; days 5-10 are the fork's own.
        Assert.Equal(parent.Take(4).Select(Key), lines.Take(4).Select(Key));
        Assert.All(lines.Take(4), l => Assert.Equal(("parent", 1), (l.GetProperty("loop").GetString(), l.GetProperty("branch").GetInt32())));
        Assert.All(lines.Skip(4), l => Assert.Equal(("parent-b1d4", 0), (l.GetProperty("loop").GetString(), l.GetProperty("branch").GetInt32())));
        Assert.All(lines, l => Assert.Equal("parent/1/4", $"{l.GetProperty("forkedFrom").GetProperty("loop").GetString()}/{l.GetProperty("forkedFrom").GetProperty("branch").GetInt32()}/{l.GetProperty("forkedFrom").GetProperty("day").GetInt32()}"));
        // Same seed, same problem, but its own draws: not a replay of the parent's days 5-8.
        Assert.NotEqual(parent.Skip(4).Select(l => l.GetProperty("seed").GetInt64()), lines.Skip(4).Take(4).Select(l => l.GetProperty("seed").GetInt64()));
        Assert.NotEqual(parent.Skip(4).Select(l => l.GetProperty("text").GetString()), lines.Skip(4).Take(4).Select(l => l.GetProperty("text").GetString()));

        // Shared, not copied: the fork's own rows start at day 5.
        await using (var store = SqliteNotebookStore.Open(_data))
        {
            Assert.Equal(Enumerable.Range(5, 6), (await store.ReadDaysAsync("parent-b1d4", 0)).Select(d => d.Day));
        }

        var status = JsonDocument.Parse((await Cli("status", "--json")).Stdout).RootElement.EnumerateArray().Single(l => l.GetProperty("loop").GetString() == "parent-b1d4");
        Assert.Equal(("completed", 10L), (status.GetProperty("status").GetString(), status.GetProperty("days").GetInt64()));
        Assert.Equal(["days=10"], status.GetProperty("forkedFrom").GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        // Its ledger: the inherited days' bits, its own, and 1 bit for being a second timeline from that point.
        Assert.Equal(lines.Sum(l => l.GetProperty("bits").GetDouble()) + 1, status.GetProperty("bitsSpent").GetDouble(), 4);
        var md = await Cli("notebook", "parent-b1d4");
        Assert.Contains("Forked from loop `parent` branch 1 after day 4, with days=10; its first 4 days are that branch's, shared. Forking charged 1 bits.", md.Stdout, StringComparison.Ordinal);
        Assert.Contains("· from parent branch 1", md.Stdout, StringComparison.Ordinal);

        // A second fork from the same point is a third timeline there: log2 3 − 1 bits.
        var second = await Cli("fork", "parent", "--branch", "1", "--from-day", "4", "--set", "width=1", "--set", "selection=all");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.StartsWith("Fork 'parent-b1d4-2': branch 1 of 'parent' after day 4, with width=1, selection=all; forking charges 0.585 bits.", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(8, (await JsonLinesAsync("parent-b1d4-2")).Count);
    }

    [Fact]
    public async Task BadForks_AreRefused_WithEveryProblemNamed_AndNothingWritten()
    {
        var spec = await ReviewSpecs.FileAsync(ReviewSpecs.Yaml("origin", branches: 2, days: 3, width: 2));
        Assert.Equal(0, (await Cli("run", spec)).ExitCode);

        var unknown = await Cli("fork", "nope", "--branch", "0", "--from-day", "1");
        Assert.Equal((2, "mimicry: no loop named 'nope' in " + _data + " (it holds: origin)"), (unknown.ExitCode, unknown.Stderr.Trim()));
        var bad = await Cli("fork", "origin", "--branch", "0", "--from-day", "5", "--set", "colour=red", "--set", "width=3");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal(
        [
            "mimicry: --from-day: must be between 0 and 3, the days branch 0 of 'origin' has committed (got 5)",
            "mimicry: --set colour: cannot be changed by a fork; these can: seed, width, selection, days, question, anchor.time, simulator.temperature, simulator.model",
            "mimicry: --set: best-of-2 needs width 2 (width is 3); set both width and selection",
        ], bad.Stderr.Trim().Split('\n'));
        var missing = await Cli("fork", "origin", "--from-day", "1");
        Assert.Equal(2, missing.ExitCode);
        var loops = JsonDocument.Parse((await Cli("status", "--json")).Stdout).RootElement;
        Assert.Equal(["origin"], loops.EnumerateArray().Select(l => l.GetProperty("loop").GetString()));
    }
}
