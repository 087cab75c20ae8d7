using System.Text.Json;

namespace Mimicry.IntegrationTests.Calibration;

/// <summary>The calibrator's inbox through the CLI on an embedded store: blind answers first, clear refusals, resume.</summary>
public sealed class ProbeInboxTests
{
    private readonly string _data = CliProcess.TempFolder("inbox");
    private readonly Dictionary<string, string> _alice = new() { ["MIMICRY_CALIBRATOR"] = "alice" };

    private Task<CliProcess.Result> Cli(params string[] args) => CliProcess.RunAsync(TimeSpan.FromMinutes(2), _alice, [.. args, "--data", _data]);

    [Fact]
    public async Task AHumanCalibrator_AnswersBlind_ThenRates_AndEveryMistakeIsRefusedWithoutChange()
    {
        var yaml = CalibrationLoopTests.Yaml("inbox", drift: 0, calibrator: "human", days: 6).Replace("id: ada-herself", "id: alice", StringComparison.Ordinal);
        var run = await Cli("run", await CalibrationLoopTests.SpecFileAsync(yaml));
        Assert.True(run.ExitCode == 0, run.Stderr); // the loop never waits for a person

        var list = await Cli("probes", "list", "--json");
        using var doc = JsonDocument.Parse(list.Stdout);
        var probes = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(6, probes.Count);
        Assert.All(probes, p => Assert.Equal("open", p.GetProperty("state").GetString()));
        // Day 3's probe (minEvery 1 takes the branches in turn: day 3 is branch 2); the list is in creation order,
        // which depends on the branches' pace.
        var id = probes.Select(p => p.GetProperty("id").GetString()!).Single(i => i == "inbox/2/3");

        var show = await Cli("probes", "show", id);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("Today is Sunday, 1 November 2026.", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Question: Which symbol does each lemma hold?", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("## Your notebook as it stood that morning (2 entries)", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("simulated answer\n", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("## The simulated answer", show.Stdout, StringComparison.Ordinal);

        var rateFirst = await Cli("probes", "rate", id, "--score", "4");
        Assert.Equal((2, $"mimicry: probe '{id}' must be answered before its simulated answer is rated (answer first, blind)"), (rateFirst.ExitCode, rateFirst.Stderr.Trim()));

        var file = Path.Combine(Path.GetTempPath(), $"answer-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "2026-11-01. Working on lemma 1 of 60. Tried {a, b, c} for lemma 1; none holds.");
        var bob = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), ["probes", "answer", id, "--text-file", file, "--as", "bob", "--data", _data]);
        // Another researcher cannot even tell that the probe exists.
        Assert.Equal((2, $"mimicry: no probe '{id}'"), (bob.ExitCode, bob.Stderr.Trim()));
        var unknown = await Cli("probes", "answer", "inbox/99/99", "--text-file", file);
        Assert.Equal((2, "mimicry: no probe 'inbox/99/99'"), (unknown.ExitCode, unknown.Stderr.Trim()));

        var answer = await Cli("probes", "answer", id, "--text-file", file);
        Assert.True(answer.ExitCode == 0, answer.Stderr);
        Assert.Matches($"^Answered {id}: similarity to the simulated answer 0\\.[0-9]{{3}}\\.", answer.Stdout);
        var again = await Cli("probes", "answer", id, "--text-file", file);
        Assert.Equal((2, $"mimicry: probe '{id}' is already answered"), (again.ExitCode, again.Stderr.Trim()));

        show = await Cli("probes", "show", id);
        Assert.Contains("## Your answer", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("## The simulated answer", show.Stdout, StringComparison.Ordinal);
        var badScore = await Cli("probes", "rate", id, "--score", "9");
        Assert.Equal((2, "mimicry: --score: must be 1 to 5 (got 9)"), (badScore.ExitCode, badScore.Stderr.Trim()));
        var rate = await Cli("probes", "rate", id, "--score", "5");
        Assert.True(rate.ExitCode == 0, rate.Stderr);
        Assert.Matches($"^Rated {id} 5 of 5: score 0\\.[0-9]{{3}}\\.", rate.Stdout);

        var status = await Cli("status", "--json");
        using var s = JsonDocument.Parse(status.Stdout);
        var calibration = s.RootElement[0].GetProperty("calibration");
        Assert.Equal((6, 5, 1, 1), (calibration.GetProperty("asked").GetInt32(), calibration.GetProperty("open").GetInt32(), calibration.GetProperty("answered").GetInt32(), calibration.GetProperty("rated").GetInt32()));
    }

    [Fact]
    public async Task APausedLoop_IsContinuedByResume_AndTheDriftTestStartsOver()
    {
        var run = await Cli("run", await CalibrationLoopTests.SpecFileAsync(CalibrationLoopTests.Yaml("resumable", drift: 0.6)));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var before = await StatusAsync();
        Assert.Equal("paused", before.GetProperty("status").GetString());

        var notPaused = await Cli("resume", "nope");
        Assert.Equal(2, notPaused.ExitCode);

        var resume = await Cli("resume", "resumable");
        Assert.True(resume.ExitCode == 0, resume.Stderr);
        Assert.Contains("Loop 'resumable' resumed; the drift test starts over", resume.Stderr, StringComparison.Ordinal);
        var after = await StatusAsync();
        // It ran on: more days, and either ran to the end or the (still drifting) simulation was caught again.
        Assert.True(after.GetProperty("days").GetInt64() > before.GetProperty("days").GetInt64());
        Assert.Contains(after.GetProperty("status").GetString(), new[] { "paused", "completed" });
        var again = await Cli("resume", "resumable");
        Assert.True(after.GetProperty("status").GetString() == "paused" ? again.ExitCode == 0 : again.ExitCode == 2, again.Stderr);
    }

    private async Task<JsonElement> StatusAsync()
    {
        var status = await Cli("status", "--json");
        using var doc = JsonDocument.Parse(status.Stdout);
        return doc.RootElement[0].Clone();
    }
}
