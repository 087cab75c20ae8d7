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
        ApiCommand.Wire(list, (session, parse, ct) => ListAsync(session, parse.GetValue(loopOption), parse.GetValue(all), parse.GetValue(json)));

        var id = Id();
        var showJson = CommonOptions.Json("Print the review as JSON (candidate text JSON-escaped, not filtered)");
        var show = new Command("show", "Show a held day: why it was held, its candidates and every tripwire verdict") { id, showJson };
        ApiCommand.Wire(show, (session, parse, ct) => ShowAsync(session, parse.GetRequiredValue(id), parse.GetValue(showJson)));

        var approveId = Id();
        var pick = new Option<string?>("--pick") { Description = "Keep these candidates (numbers from 'review show', e.g. 2 or 0,2) instead of the selection's choice; keeping k of N is charged log2 C(N, k) bits" };
        var approveAs = As();
        var approve = new Command("approve", "Release the held day into the notebook: the selection's choice, or --pick K[,K…]") { approveId, pick, approveAs };
        ApiCommand.Wire(approve, async (session, parse, ct) =>
        {
            var picks = ParsePicks(parse.GetValue(pick));
            await ActAsAsync(session, parse, approveAs);
            var r = Output.Wire.Review(await session.Client.ApproveAsync(CheckId(parse.GetRequiredValue(approveId)), picks, ct));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Approved {r.Id}: {(r.Picks is { } k ? $"candidate{(k.Count == 1 ? "" : "s")} {string.Join(", ", k)} go{(k.Count == 1 ? "es" : "")} into the notebook ({r.PickBits:0.###} bits for the pick)" : $"the selection's choice goes into the notebook ({r.SelectionBits:0.###} bits)")}{(r.RerollBits > 0 ? string.Create(CultureInfo.InvariantCulture, $", plus {r.RerollBits:0.###} bits for re-rolls") : "")}."));
            await AfterDecisionAsync(session, r);
            return ExitCodes.Done;
        });

        var rejectId = Id();
        var rejectAs = As();
        var reject = new Command("reject", "Discard the held day's candidates: the branch re-runs the day or stops, per the spec's review.onReject") { rejectId, rejectAs };
        ApiCommand.Wire(reject, async (session, parse, ct) =>
        {
            await ActAsAsync(session, parse, rejectAs);
            var r = Output.Wire.Review(await session.Client.RejectAsync(CheckId(parse.GetRequiredValue(rejectId)), ct));
            await Console.Out.WriteLineAsync($"Rejected {r.Id}: its candidates are discarded; {await OnRejectAsync(session, r)}.");
            await AfterDecisionAsync(session, r);
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

    private static Argument<string> Id() => new("id") { Description = "The review's id (loop/branch/day/attempt), from 'mimicry review list'" };

    private static Option<string?> As() => new("--as")
    {
        Description = "Locally: decide as this user (recorded with the decision); default: $MIMICRY_REVIEWER, else you. On a server you are who your token says",
    };

    /// <summary>"loop/branch/day/attempt", checked before it becomes a URL.</summary>
    private static string CheckId(string id)
    {
        var parts = id.Split('/');
        if (parts.Length != 4 || !Mimicry.SpecReading.SpecReader.IsSlug(parts[0]) || !parts.Skip(1).All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new UserInputException($"no review '{Mimicry.Text.InertText.ForTerminal(id)}' (ids read loop/branch/day/attempt; see 'mimicry review list')");
        }
        return id;
    }

    private static async Task ActAsAsync(ApiSession session, ParseResult parse, Option<string?> option)
    {
        var who = parse.GetValue(option) is { Length: > 0 } given ? given
            : session.Folder is not null && Environment.GetEnvironmentVariable("MIMICRY_REVIEWER") is { Length: > 0 } env ? env : null;
        if (who is not null)
        {
            await session.ActAsAsync(who, "reviewer");
        }
    }

    private static async Task<string> OnRejectAsync(ApiSession session, Review review)
    {
        var spec = Mimicry.SpecReading.SpecJson.Deserialize(await session.Client.GetSpecJsonAsync(review.Loop));
        return spec.Review?.OnReject == Mimicry.Spec.RejectPolicy.Stop
            ? $"branch {review.Branch} stops (review.onReject: stop)"
            : $"branch {review.Branch} runs day {review.Day} again as attempt {review.Attempt + 1} with fresh session randomness (review.onReject: rerun; the re-roll is charged in bits)";
    }

    private static async Task AfterDecisionAsync(ApiSession session, Review review)
    {
        if (!session.HostedHere)
        {
            await Console.Error.WriteLineAsync($"Branch {review.Branch} of loop '{review.Loop}' goes on at {session.Where}.");
            return;
        }
        var stillHeld = (await session.Client.ListReviewsAsync(review.Loop, pendingOnly: true)).Count;
        var waiting = stillHeld > 0 ? $" ({stillHeld} more held day(s) of this loop wait for review)" : "";
        await Console.Error.WriteLineAsync($"Continue the loop with: mimicry resume {review.Loop} --data {session.Folder}{waiting}");
    }

    private static async Task<int> ListAsync(ApiSession session, string? loop, bool all, bool json)
    {
        var reviews = (await session.Client.ListReviewsAsync(loop, pendingOnly: !all)).Select(Output.Wire.Review).ToList();
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
            var decided = r.State switch
            {
                ReviewState.Pending => "",
                ReviewState.Superseded => string.Create(CultureInfo.InvariantCulture, $"  at {r.DecidedAt:yyyy-MM-dd HH:mm}Z (its day was committed without it)"),
                _ => string.Create(CultureInfo.InvariantCulture, $"  by {Mimicry.Text.InertText.ForTerminal(r.DecidedBy ?? "?")} at {r.DecidedAt:yyyy-MM-dd HH:mm}Z"),
            };
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{r.Id}  {r.State.ToString().ToLowerInvariant()}{decided}  day {r.Day} anchor {r.Anchor:yyyy-MM-dd}  {r.Candidates.Count} candidate(s)  held: {Mimicry.Text.InertText.ForTerminal(string.Join("; ", r.Reasons))}"));
        }
        return ExitCodes.Done;
    }

    private static async Task<int> ShowAsync(ApiSession session, string id, bool json)
    {
        var r = Output.Wire.Review(await session.Client.GetReviewAsync(CheckId(id)));
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(r, Mimicry.SpecReading.SpecJson.Options));
            return ExitCodes.Done;
        }
        await ReviewPrinter.PrintAsync(Console.Out, r);
        return ExitCodes.Done;
    }
}
