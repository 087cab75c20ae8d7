using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.Cli.Output;
using Mimicry.Grains;
using Mimicry.Grains.Reviews;
using Mimicry.Status;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry review list|show|approve|reject</c>: the days held back from notebooks (review gates, tripwire
/// quarantine), on the local data folder or a cluster. Candidate text is untrusted and shown inert.
/// </summary>
internal static class ReviewCommand
{
    public static Command Create()
    {
        var loopOption = new Option<string?>("--loop") { Description = "Only this loop's reviews" };
        var all = new Option<bool>("--all") { Description = "Include decided reviews (default: only those waiting)" };
        var json = CommonOptions.Json("Print a JSON array");
        var list = new Command("list", "List the held days waiting for a decision (or all, with --all)") { loopOption, all, json };
        Wire(list, (queue, parse, ct) => ListAsync(queue, parse.GetValue(loopOption), parse.GetValue(all), parse.GetValue(json)));

        var id = Id();
        var showJson = CommonOptions.Json("Print the review as JSON (candidate text JSON-escaped, not filtered)");
        var show = new Command("show", "Show a held day: why it was held, its candidates and every tripwire verdict") { id, showJson };
        Wire(show, (queue, parse, ct) => ShowAsync(queue, parse.GetRequiredValue(id), parse.GetValue(showJson)));

        var approveId = Id();
        var pick = new Option<string?>("--pick") { Description = "Keep these candidates (numbers from 'review show', e.g. 2 or 0,2) instead of the selection's choice; keeping k of N is charged log2 C(N, k) bits" };
        var approveAs = As();
        var approve = new Command("approve", "Release the held day into the notebook: the selection's choice, or --pick K[,K…]") { approveId, pick, approveAs };
        Wire(approve, async (queue, parse, ct) =>
        {
            var r = await queue.ApproveAsync(parse.GetRequiredValue(approveId), ParsePicks(parse.GetValue(pick)), Reviewer(parse, approveAs));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Approved {r.Id}: {(r.Picks is { } k ? $"candidate{(k.Count == 1 ? "" : "s")} {string.Join(", ", k)} go{(k.Count == 1 ? "es" : "")} into the notebook ({r.PickBits:0.###} bits for the pick)" : $"the selection's choice goes into the notebook ({r.SelectionBits:0.###} bits)")}{(r.RerollBits > 0 ? string.Create(CultureInfo.InvariantCulture, $", plus {r.RerollBits:0.###} bits for re-rolls") : "")}."));
            await queue.AfterDecisionAsync(r);
            return ExitCodes.Done;
        });

        var rejectId = Id();
        var rejectAs = As();
        var reject = new Command("reject", "Discard the held day's candidates: the branch re-runs the day or stops, per the spec's review.onReject") { rejectId, rejectAs };
        Wire(reject, async (queue, parse, ct) =>
        {
            var r = await queue.RejectAsync(parse.GetRequiredValue(rejectId), Reviewer(parse, rejectAs));
            await Console.Out.WriteLineAsync($"Rejected {r.Id}: its candidates are discarded; {await queue.OnRejectAsync(r)}.");
            await queue.AfterDecisionAsync(r);
            return ExitCodes.Done;
        });

        return new Command("review", "Held days: review gates and tripwire quarantine") { list, show, approve, reject };
    }

    /// <summary>"2" or "0,2" as candidate numbers; null when not given.</summary>
    private static IReadOnlyList<int>? ParsePicks(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var picks = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
            {
                throw new UserInputException($"--pick: expected candidate numbers such as 2 or 0,2 (got '{text}')");
            }
            picks.Add(k);
        }
        return picks;
    }

    private static void Wire(Command command, Func<ReviewQueue, ParseResult, CancellationToken, Task<int>> action) =>
        LocalOrCluster.Wire<ReviewQueue>(command, (store, folder) => new LocalReviewQueue(store, folder), grains => new ClusterReviewQueue(grains.GetGrain<IReviewGrain>(0), grains), action);

    private static Argument<string> Id() => new("id") { Description = "The review's id (loop/branch/day/attempt), from 'mimicry review list'" };

    private static Option<string?> As() => new("--as") { Description = "Who decides (recorded with the decision); default: $MIMICRY_REVIEWER, else your user name" };

    private static string Reviewer(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("MIMICRY_REVIEWER") is { Length: > 0 } env ? env : Environment.UserName;

    private static async Task<int> ListAsync(ReviewQueue queue, string? loop, bool all, bool json)
    {
        var reviews = await queue.ListAsync(loop, pendingOnly: !all);
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(reviews.Select(r => new Dictionary<string, object?>
            {
                ["id"] = r.Id,
                ["loop"] = r.Loop,
                ["branch"] = r.Branch,
                ["day"] = r.Day,
                ["attempt"] = r.Attempt,
                ["state"] = r.State.ToString().ToLowerInvariant(),
                ["reasons"] = r.Reasons,
                ["quarantined"] = r.Quarantined,
                ["candidates"] = r.Candidates.Count,
                ["created"] = r.Created,
                ["decidedBy"] = r.DecidedBy,
                ["decidedAt"] = r.DecidedAt,
                ["picks"] = r.Picks,
            })));
            return ExitCodes.Done;
        }
        if (reviews.Count == 0)
        {
            await Console.Out.WriteLineAsync(all ? "No reviews." : "No held days wait for review.");
            return ExitCodes.Done;
        }
        foreach (var r in reviews)
        {
            var decided = r.State == ReviewState.Pending ? "" : string.Create(CultureInfo.InvariantCulture, $"  by {Mimicry.Text.InertText.ForTerminal(r.DecidedBy ?? "?")} at {r.DecidedAt:yyyy-MM-dd HH:mm}Z");
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{r.Id}  {r.State.ToString().ToLowerInvariant()}{decided}  day {r.Day} anchor {r.Anchor:yyyy-MM-dd}  {r.Candidates.Count} candidate(s)  held: {string.Join("; ", r.Reasons)}"));
        }
        return ExitCodes.Done;
    }

    private static async Task<int> ShowAsync(ReviewQueue queue, string id, bool json)
    {
        var r = await queue.GetAsync(id) ?? throw new UserInputException($"no review '{id}' (see 'mimicry review list')");
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(r, Mimicry.Specs.SpecJson.Options));
            return ExitCodes.Done;
        }
        await ReviewPrinter.PrintAsync(Console.Out, r);
        return ExitCodes.Done;
    }
}
