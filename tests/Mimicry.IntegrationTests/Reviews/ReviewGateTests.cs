using System.Text.Json;
using Mimicry.Synthetic;

namespace Mimicry.IntegrationTests.Reviews;

/// <summary>
/// Review gates and tripwire quarantine end to end through the CLI on an embedded store: a held day never reaches
/// the notebook until a person approves it; picks and re-rolls are charged; every decision names who and when.
/// </summary>
public sealed class ReviewGateTests
{
    private readonly string _data = CliProcess.TempFolder("review");

    private Task<CliProcess.Result> Cli(params string[] args) => CliProcess.RunAsync(TimeSpan.FromMinutes(2), [.. args, "--data", _data]);

    private async Task<List<JsonElement>> JsonLinesAsync(string loop)
    {
        var nb = await Cli("notebook", loop, "--format", "jsonl");
        Assert.True(nb.ExitCode == 0, nb.Stderr);
        return nb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private async Task<List<JsonElement>> PendingAsync()
    {
        var list = await Cli("review", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        return JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private async Task<JsonElement> ShowAsync(string id)
    {
        var show = await Cli("review", "show", id, "--json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        return JsonDocument.Parse(show.Stdout).RootElement.Clone();
    }

    [Fact]
    public async Task AGate_HoldsEachBranch_AndPick_Reject_Resume_CarryTheLoopOn_WithEveryDecisionCharged()
    {
        var spec = await ReviewSpecs.FileAsync(ReviewSpecs.Yaml("gated", branches: 2, days: 6, width: 3, review: "review: { everyDays: 3, onReject: rerun }"));
        var run = await Cli("run", spec, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using (var summary = JsonDocument.Parse(run.Stdout))
        {
            Assert.Equal(("awaiting review", 2, 4L), (summary.RootElement.GetProperty("status").GetString(), summary.RootElement.GetProperty("awaitingReview").GetInt32(), summary.RootElement.GetProperty("days").GetInt64()));
        }
        Assert.DoesNotContain(await JsonLinesAsync("gated"), l => l.GetProperty("day").GetInt32() == 3); // held, not committed
        Assert.Equal(["gated/0/3/1", "gated/1/3/1"], (await PendingAsync()).Select(r => r.GetProperty("id").GetString()).Order());

        // Branch 0: the reviewer keeps a candidate the selection did not choose.
        var held = await ShowAsync("gated/0/3/1");
        var chosen = held.GetProperty("chosen")[0].GetInt32();
        var pick = Enumerable.Range(0, 3).First(k => k != chosen);
        var pickedText = held.GetProperty("candidates")[pick].GetProperty("text").GetString();
        var text = await Cli("review", "show", "gated/0/3/1");
        Assert.Contains("Held because: review gate: every 3 days.", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"## Candidate {chosen} (the selection's choice)", text.Stdout, StringComparison.Ordinal);

        var badPick = await Cli("review", "approve", "gated/0/3/1", "--pick", "7");
        Assert.Equal((2, "mimicry: --pick: review gated/0/3/1 has no candidate 7 (its candidates are 0, 1, 2)"), (badPick.ExitCode, badPick.Stderr.Trim()));
        var approve = await Cli("review", "approve", "gated/0/3/1", "--pick", $"{pick}", "--as", "alice");
        Assert.True(approve.ExitCode == 0, approve.Stderr);
        Assert.StartsWith($"Approved gated/0/3/1: candidate {pick} goes into the notebook (1.585 bits for the pick).", approve.Stdout, StringComparison.Ordinal);
        var twice = await Cli("review", "reject", "gated/0/3/1", "--as", "bob");
        Assert.Equal(2, twice.ExitCode);
        Assert.Matches("^mimicry: review gated/0/3/1 was already approved by alice at 20[0-9-]+ [0-9:]+Z$", twice.Stderr.Trim());

        // Branch 1: rejected, so day 3 is drawn again (a re-roll) and held again at the gate.
        var reject = await Cli("review", "reject", "gated/1/3/1", "--as", "bob");
        Assert.True(reject.ExitCode == 0, reject.Stderr);
        Assert.StartsWith("Rejected gated/1/3/1: its candidates are discarded; branch 1 runs day 3 again as attempt 2", reject.Stdout, StringComparison.Ordinal);
        var rejectedTexts = (await ShowAsync("gated/1/3/1")).GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("text").GetString()).ToList();

        var resume = await Cli("resume", "gated");
        Assert.True(resume.ExitCode == 0, resume.Stderr);
        Assert.Equal(["gated/0/6/1", "gated/1/3/2"], (await PendingAsync()).Select(r => r.GetProperty("id").GetString()).Order());
        var reroll = await ShowAsync("gated/1/3/2");
        Assert.NotEqual(rejectedTexts, reroll.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("text").GetString()).ToList());
        Assert.Equal(1.0, reroll.GetProperty("rerollBits").GetDouble(), 9);

        // Approve whatever is held until the loop ends.
        for (var round = 0; round < 4 && (await PendingAsync()) is { Count: > 0 } pending; round++)
        {
            foreach (var r in pending)
            {
                Assert.Equal(0, (await Cli("review", "approve", r.GetProperty("id").GetString()!, "--as", "carol")).ExitCode);
            }
            Assert.Equal(0, (await Cli("resume", "gated")).ExitCode);
        }
        var status = JsonDocument.Parse((await Cli("status", "--json")).Stdout).RootElement[0];
        Assert.Equal(("completed", 12L), (status.GetProperty("status").GetString(), status.GetProperty("days").GetInt64()));
        Assert.Equal(12 * 3 + 3, status.GetProperty("sessions").GetInt64()); // the rejected draw's 3 sessions are paid for too

        var lines = await JsonLinesAsync("gated");
        var b0d3 = lines.Single(l => l.GetProperty("branch").GetInt32() == 0 && l.GetProperty("day").GetInt32() == 3);
        Assert.Equal(pickedText, b0d3.GetProperty("text").GetString());
        Assert.Equal(("gated/0/3/1", "alice", pick), (b0d3.GetProperty("review").GetProperty("id").GetString(), b0d3.GetProperty("review").GetProperty("decidedBy").GetString(), b0d3.GetProperty("review").GetProperty("picks")[0].GetInt32()));
        Assert.Equal(Math.Log2(3), b0d3.GetProperty("bits").GetDouble(), 6);
        var b1d3 = lines.Single(l => l.GetProperty("branch").GetInt32() == 1 && l.GetProperty("day").GetInt32() == 3);
        Assert.Equal("gated/1/3/2", b1d3.GetProperty("review").GetProperty("id").GetString());
        Assert.Equal(Math.Log2(3) + 1, b1d3.GetProperty("bits").GetDouble(), 6); // best-of-3 plus one re-roll
        // The kept entry is the re-roll's: its session seed is attempt 2's, not one of the rejected draws'.
        Assert.Equal(Mimicry.Determinism.Seeds.ForSession(5, 1, 3, int.Parse(b1d3.GetProperty("session").GetString()!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture), reroll: 1), b1d3.GetProperty("seed").GetInt64());
        Assert.All(lines.Where(l => l.GetProperty("day").GetInt32() % 3 == 0), l => Assert.True(l.TryGetProperty("review", out _)));
        Assert.All(lines.Where(l => l.GetProperty("day").GetInt32() % 3 != 0), l => Assert.False(l.TryGetProperty("review", out _)));
        Assert.Equal(lines.Sum(l => l.GetProperty("bits").GetDouble()), status.GetProperty("bitsSpent").GetDouble(), 4);
    }

    [Fact]
    public async Task ATripwire_QuarantinesTheDay_AndOnlyARelease_LetsTheEntryIn()
    {
        var spec = await ReviewSpecs.FileAsync(ReviewSpecs.Yaml("baited", branches: 1, days: 4, width: 2, tamperDays: "[3]"));
        Assert.Equal(0, (await Cli("run", spec)).ExitCode);
        Assert.Equal(2, (await JsonLinesAsync("baited")).Count);
        Assert.DoesNotContain(await JsonLinesAsync("baited"), l => l.GetProperty("text").GetString()!.Contains(SyntheticResearcher.Tamper, StringComparison.Ordinal));
        var status = JsonDocument.Parse((await Cli("status", "--json")).Stdout).RootElement[0];
        Assert.Equal(("awaiting review", 1), (status.GetProperty("status").GetString(), status.GetProperty("awaitingReview").GetInt32()));

        var list = Assert.Single(await PendingAsync());
        Assert.Equal(("baited/0/3/1", true), (list.GetProperty("id").GetString(), list.GetProperty("quarantined").GetBoolean()));
        Assert.Equal(["tripwire: reader-directed on candidate 0", "tripwire: reader-directed on candidate 1"], list.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        var show = await Cli("review", "show", "baited/0/3/1");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(show.Stdout, "^## Candidate [01]( \\(the selection's choice\\))? — TRIPPED reader-directed$", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Contains("TRIPPED  reader-directed        addresses the reader: 'to whoever reads'", show.Stdout, StringComparison.Ordinal);

        // Resuming without a decision changes nothing: the branch is still held.
        Assert.Equal(0, (await Cli("resume", "baited")).ExitCode);
        Assert.Equal(2, (await JsonLinesAsync("baited")).Count);

        Assert.Equal(0, (await Cli("review", "approve", "baited/0/3/1", "--as", "dana")).ExitCode);
        Assert.Equal(0, (await Cli("resume", "baited")).ExitCode);
        var lines = await JsonLinesAsync("baited");
        Assert.Equal(4, lines.Count);
        Assert.EndsWith(SyntheticResearcher.Tamper, lines[2].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("dana", lines[2].GetProperty("review").GetProperty("decidedBy").GetString());
        var md = await Cli("notebook", "baited");
        Assert.Matches("Released by review baited/0/3/1: approved by dana at [0-9-]+ [0-9:]+Z \\(tripwire: reader-directed on candidate 0; tripwire: reader-directed on candidate 1\\)\\.", md.Stdout);
    }

    [Fact]
    public async Task ARejection_WithOnRejectStop_StopsTheBranch_WithWhoRejectedIt()
    {
        var spec = await ReviewSpecs.FileAsync(ReviewSpecs.Yaml("strict", branches: 1, days: 4, width: 1, review: "review: { onReject: stop }", tamperDays: "[2]"));
        Assert.Equal(0, (await Cli("run", spec)).ExitCode);
        var reject = await Cli("review", "reject", "strict/0/2/1", "--as", "erin");
        Assert.Contains("branch 0 stops (review.onReject: stop)", reject.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await Cli("resume", "strict")).ExitCode);
        var status = JsonDocument.Parse((await Cli("status", "--json")).Stdout).RootElement[0];
        Assert.Equal("stopped", status.GetProperty("status").GetString());
        Assert.Contains("review: day 2 rejected by erin", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Single(await JsonLinesAsync("strict"));
        var late = await Cli("review", "approve", "strict/0/2/1");
        Assert.Equal(2, late.ExitCode);
        var gone = await Cli("resume", "strict");
        Assert.Equal((2, "mimicry: loop 'strict' is stopped: there is nothing to resume"), (gone.ExitCode, gone.Stderr.Trim()));
    }

    [Fact]
    public async Task UnderSelectionAll_AReviewerMayKeepSomeCandidates_ChargedLog2OfTheWaysToChooseThem()
    {
        var yaml = ReviewSpecs.Yaml("keep-some", branches: 1, days: 2, width: 3, review: "review: { everyDays: 2 }").Replace("selection: best-of-3", "selection: all", StringComparison.Ordinal);
        Assert.Equal(0, (await Cli("run", await ReviewSpecs.FileAsync(yaml))).ExitCode);
        var held = await ShowAsync("keep-some/0/2/1");
        Assert.Equal([0, 1, 2], held.GetProperty("chosen").EnumerateArray().Select(e => e.GetInt32()));

        var bad = await Cli("review", "approve", "keep-some/0/2/1", "--pick", "0,x");
        Assert.Equal((2, "mimicry: --pick: expected candidate numbers such as 2 or 0,2 (got '0,x')"), (bad.ExitCode, bad.Stderr.Trim()));
        var approve = await Cli("review", "approve", "keep-some/0/2/1", "--pick", "2,0");
        Assert.True(approve.ExitCode == 0, approve.Stderr);
        Assert.StartsWith("Approved keep-some/0/2/1: candidates 0, 2 go into the notebook (1.585 bits for the pick).", approve.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await Cli("resume", "keep-some")).ExitCode);

        var day2 = (await JsonLinesAsync("keep-some")).Where(l => l.GetProperty("day").GetInt32() == 2).ToList();
        Assert.Equal(["keep-some/0/2/0", "keep-some/0/2/2"], day2.Select(l => l.GetProperty("session").GetString()));
        Assert.Equal([held.GetProperty("candidates")[0].GetProperty("text").GetString(), held.GetProperty("candidates")[2].GetProperty("text").GetString()], day2.Select(l => l.GetProperty("text").GetString()));
        Assert.All(day2, l => Assert.Equal(Math.Log2(3), l.GetProperty("bits").GetDouble(), 6));
    }
}
