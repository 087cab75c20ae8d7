using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.Specs;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry status</c>: every loop in the data folder with its state and progress.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json("Print a JSON array of loops");
        var connection = new ClusterConnection(local: true);
        var command = new Command("status", "Show the loops (in the data folder, or on a cluster with --cluster) and how far each has got") { data, json };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (connection.ConnectionString(parse) is null)
            {
                var folder = DataFolder.Resolve(parse.GetValue(data));
                return await PrintAsync(await LocalAsync(folder), folder, interrupted: !DataFolderLock.IsHeld(folder), parse.GetValue(json));
            }
            await using var client = await connection.ConnectAsync(parse, ct);
            var loops = await client.Grains.GetGrain<Mimicry.Grains.ICatalogGrain>(0).ListLoops();
            return await PrintAsync(loops, "the cluster", interrupted: false, parse.GetValue(json));
        });
        return command;
    }

    private static async Task<IReadOnlyList<Status.LoopSummary>> LocalAsync(string folder)
    {
        await using var store = StoreReader.OpenExisting(folder);
        return store is null ? [] : await Mimicry.Grains.Catalog.LoopSummaries.ListAsync(store, DateTimeOffset.UtcNow);
    }

    /// <param name="interrupted">A running loop counts as interrupted (embedded: no run holds the data folder).</param>
    private static async Task<int> PrintAsync(IReadOnlyList<Status.LoopSummary> loops, string folder, bool interrupted, bool json)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var loop in loops)
        {
            var spec = SpecJson.Deserialize(loop.SpecJson);
            rows.Add(new()
            {
                ["loop"] = loop.Loop,
                // A loop left running by a run that is no longer there was interrupted: 'run' resumes it.
                ["status"] = Status.LoopOutcome.AwaitingReview(loop.State, spec.Branches, loop.BranchesFinished, loop.AwaitingReview) ? "awaiting review"
                    : loop.State == Status.RunState.Running && interrupted ? "interrupted" : loop.State.ToString().ToLowerInvariant(),
                ["reason"] = loop.Reason,
                ["researcher"] = spec.Researcher.Id,
                ["branches"] = spec.Branches,
                ["branchesFinished"] = loop.BranchesFinished,
                ["days"] = loop.DaysDone,
                ["daysPlanned"] = (long)spec.Branches * spec.Days,
                ["sessions"] = loop.Sessions,
                ["entries"] = loop.Entries,
                ["bitsSpent"] = Math.Round(loop.BitsSpent, 6),
                ["maxBits"] = spec.Budgets.MaxBits,
                // Subjective research time: each committed day is one working day of the simulated researcher.
                ["researchDays"] = loop.DaysDone,
                ["researchDaysPerBranch"] = new[] { loop.MinDaysDone, loop.MaxDaysDone },
                ["futureAnchorsAllowed"] = spec.Anchor.AllowFutureAnchor,
                ["awaitingReview"] = loop.AwaitingReview,
                ["forkedFrom"] = spec.Fork is { } fork ? new Dictionary<string, object?> { ["loop"] = fork.Loop, ["branch"] = fork.Branch, ["day"] = fork.FromDay, ["changes"] = fork.Changes } : null,
                ["inputTokens"] = loop.InputTokens,
                ["outputTokens"] = loop.OutputTokens,
                ["cost"] = Math.Round(loop.Cost, 6),
                ["currency"] = spec.Simulator.OpenAi?.Prices.Currency,
                ["maxTokens"] = spec.Budgets.MaxTokens,
                ["maxCost"] = spec.Budgets.MaxCost,
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
            await Console.Out.WriteLineAsync(folder == "the cluster" ? "No loops in the cluster. Start one with: mimicry submit SPEC" : $"No loops in {folder}. Start one with: mimicry run SPEC");
            return ExitCodes.Done;
        }
        await Console.Out.WriteLineAsync($"Loops in {folder}:");
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
                    $"    tokens {r["inputTokens"]:N0} in + {r["outputTokens"]:N0} out{((long)r["maxTokens"]! > 0 ? $" of {r["maxTokens"]:N0}" : "")}  cost {r["cost"]:0.0000} {r["currency"]}{((double)r["maxCost"]! > 0 ? $" of {r["maxCost"]:0.00}" : "")}"));
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
