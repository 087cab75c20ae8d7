using System.CommandLine;
using System.Text.Json;
using Mimicry.Grains;
using Mimicry.Specs;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry submit SPEC --cluster CONN</c>: starts a loop on a cluster and returns; the silos run it.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The loop spec file (YAML or JSON); see docs/loop-spec.md" };
        var json = CommonOptions.Json("Print the loop's status as JSON");
        var connection = new ClusterConnection();
        var command = new Command("submit", "Start a loop on a cluster (or resume it) and return; follow it with 'mimicry status'") { spec, json };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            // Validate the spec before connecting: bad input never reaches the cluster.
            var loopSpec = SpecReader.Load(parse.GetRequiredValue(spec).FullName, DateTimeOffset.UtcNow);
            await using var client = await connection.ConnectAsync(parse, ct);
            Mimicry.Status.LoopStatus status;
            try
            {
                status = await client.Grains.GetGrain<ILoopGrain>(loopSpec.Name).Start(loopSpec);
            }
            catch (ArgumentException ex)
            {
                throw new UserInputException($"{parse.GetRequiredValue(spec).Name}: name: {ex.Message[..(ex.Message.IndexOf(" (Parameter", StringComparison.Ordinal) is var i and >= 0 ? i : ex.Message.Length)]}");
            }
            if (parse.GetValue(json))
            {
                // The same shape as 'status --json' rows, as far as a just-submitted loop has them.
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["loop"] = status.Loop,
                    ["status"] = status.State.ToString().ToLowerInvariant(),
                    ["reason"] = status.Reason,
                    ["branches"] = status.Branches,
                    ["branchesFinished"] = status.BranchesFinished,
                    ["days"] = status.DaysDone,
                    ["daysPlanned"] = (long)status.Branches * status.DaysPerBranch,
                    ["sessions"] = status.Sessions,
                    ["entries"] = status.Entries,
                    ["bitsSpent"] = Math.Round(status.BitsSpent, 6),
                }));
            }
            else
            {
                await Console.Out.WriteLineAsync($"Submitted loop '{status.Loop}': {status.State.ToString().ToLowerInvariant()}, {status.Branches} branches × {status.DaysPerBranch} days. Follow it with: mimicry status");
            }
            return ExitCodes.Done;
        });
        return command;
    }
}
