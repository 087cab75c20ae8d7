using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.SpecReading;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry status</c>: every loop in the data folder with its state and progress.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json("Print a JSON array of loops");
        var connection = new ApiConnection();
        var command = new Command("status", "Show the loops (in the data folder, or on a server with --server) and how far each has got") { json };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await connection.OpenAsync(parse);
            if (session is null)
            {
                return await PrintAsync([], DataFolder.Resolve(parse.GetValue(connection.Data)), parse.GetValue(json), remote: false);
            }
            return await PrintAsync(await session.Client.ListLoopsAsync(ct), session.Where, parse.GetValue(json), session.Folder is null);
        });
        return command;
    }

    private static async Task<int> PrintAsync(IReadOnlyList<Mimicry.Client.LoopView> loops, string folder, bool json, bool remote)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var loop in loops)
        {
            rows.Add(new()
            {
                ["loop"] = loop.Loop,
                ["status"] = loop.Status,
                ["reason"] = loop.Reason,
                ["researcher"] = loop.Researcher,
                ["branches"] = loop.Branches,
                ["branchesFinished"] = loop.BranchesFinished,
                ["days"] = loop.Days,
                ["daysPlanned"] = loop.DaysPlanned,
                ["sessions"] = loop.Sessions,
                ["entries"] = loop.Entries,
                ["bitsSpent"] = loop.BitsSpent,
                ["maxBits"] = loop.MaxBits,
                // Subjective research time: each committed day is one working day of the simulated researcher.
                ["researchDays"] = loop.Days,
                ["researchDaysPerBranch"] = new[] { loop.MinDaysDone, loop.MaxDaysDone },
                ["futureAnchorsAllowed"] = loop.FutureAnchorsAllowed,
                ["awaitingReview"] = loop.AwaitingReview,
                ["forkedFrom"] = loop.ForkedFrom is { } fork ? new Dictionary<string, object?> { ["loop"] = fork.Loop, ["branch"] = fork.Branch, ["day"] = fork.Day, ["changes"] = fork.Changes } : null,
                ["inputTokens"] = loop.InputTokens,
                ["cachedInputTokens"] = loop.CachedInputTokens,
                ["outputTokens"] = loop.OutputTokens,
                ["cost"] = loop.Cost,
                ["currency"] = loop.Currency,
                ["maxTokens"] = loop.MaxTokens,
                ["maxCost"] = loop.MaxCost,
                ["calibration"] = loop.Calibration is { } c ? new Dictionary<string, object?>
                {
                    ["researcher"] = c.Researcher,
                    ["calibrator"] = c.Calibrator,
                    ["asked"] = c.Asked,
                    ["open"] = c.Open,
                    ["answered"] = c.Answered,
                    ["rated"] = c.Rated,
                    ["expired"] = c.Expired,
                    ["meanScore"] = c.MeanScore,
                    ["drift"] = c.Drift,
                } : null,
                ["updated"] = loop.Updated,
            });
        }
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(rows));
            return ExitCodes.Done;
        }
        if (rows.Count == 0)
        {
            await Console.Out.WriteLineAsync(remote ? $"No loops on {folder}. Start one with: mimicry submit SPEC" : $"No loops in {folder}. Start one with: mimicry run SPEC");
            return ExitCodes.Done;
        }
        await Console.Out.WriteLineAsync(remote ? $"Loops on {folder}:" : $"Loops in {folder}:");
        foreach (var r in rows)
        {
            var bits = (double)r["maxBits"]! > 0 ? string.Create(CultureInfo.InvariantCulture, $"{r["bitsSpent"]:N1} of {r["maxBits"]:N1}") : string.Create(CultureInfo.InvariantCulture, $"{r["bitsSpent"]:N1}");
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {r["loop"]}  {r["status"]}  days {r["days"]:N0}/{r["daysPlanned"]:N0}  branches finished {r["branchesFinished"]:N0}/{r["branches"]:N0}  sessions {r["sessions"]:N0}  bits {bits}"));
            var perBranch = (int[])r["researchDaysPerBranch"]!;
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"    simulated research time: {r["researchDays"]:N0} researcher-days (per branch {perBranch[0]:N0}–{perBranch[1]:N0}){((bool)r["futureAnchorsAllowed"]! ? "; FUTURE ANCHORS ALLOWED (anchor.allowFutureAnchor)" : "")}"));
            if (r["forkedFrom"] is Dictionary<string, object?> from)
            {
                var changes = (IReadOnlyList<string>)from["changes"]!;
                await Console.Out.WriteLineAsync($"    forked from {from["loop"]} branch {from["branch"]} after day {from["day"]}{(changes.Count > 0 ? $" with {Mimicry.Text.InertText.ForTerminal(string.Join(", ", changes))}" : "")}");
            }
            if ((int)r["awaitingReview"]! > 0)
            {
                await Console.Out.WriteLineAsync($"    {r["awaitingReview"]} branch(es) wait for review: mimicry review list --loop {r["loop"]}");
            }
            if ((long)r["inputTokens"]! + (long)r["outputTokens"]! > 0)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"    tokens {r["inputTokens"]:N0} in{((long)r["cachedInputTokens"]! > 0 ? $" ({r["cachedInputTokens"]:N0} cached)" : "")} + {r["outputTokens"]:N0} out{((long)r["maxTokens"]! > 0 ? $" of {r["maxTokens"]:N0}" : "")}  cost {r["cost"]:0.0000} {r["currency"]}{((double)r["maxCost"]! > 0 ? $" of {r["maxCost"]:0.00}" : "")}"));
            }
            if (r["calibration"] is Dictionary<string, object?> cal)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"    calibration ({cal["researcher"]} answered by {cal["calibrator"]}): probes {cal["asked"]} asked, {cal["open"]} waiting, {cal["answered"]} answered, {cal["rated"]} rated, {cal["expired"]} expired; mean score {(cal["meanScore"] is double m ? m.ToString("0.000", CultureInfo.InvariantCulture) : "-")}; drift test {cal["drift"]}"));
            }
            if (r["reason"] is string reason)
            {
                await Console.Out.WriteLineAsync($"    {Mimicry.Text.InertText.ForTerminal(reason)}"); // reasons can quote a model server
            }
            else if ((string)r["status"]! == "interrupted")
            {
                await Console.Out.WriteLineAsync("    the run that drove it stopped; 'mimicry run' with its spec resumes it");
            }
        }
        return ExitCodes.Done;
    }
}
