using System.CommandLine;
using Mimicry.Grains;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry cancel LOOP --cluster CONN</c>: stops a loop for good; committed days stay.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var loop = new Argument<string>("loop") { Description = "The loop's name (see 'mimicry status')" };
        var connection = new ClusterConnection();
        var command = new Command("cancel", "Stop a loop on a cluster for good (its committed days are kept)") { loop };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetRequiredValue(loop);
            await using var client = await connection.ConnectAsync(parse, ct);
            var known = await client.Grains.GetGrain<ICatalogGrain>(0).ListLoops();
            if (!known.Any(l => l.Loop == name))
            {
                throw new UserInputException($"no loop named '{name}' in the cluster ({(known.Count == 0 ? "it holds no loops" : "it holds: " + string.Join(", ", known.Select(l => l.Loop)))})");
            }
            var status = await client.Grains.GetGrain<ILoopGrain>(name).Cancel($"cancelled by {Environment.UserName} at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
            await Console.Out.WriteLineAsync($"Loop '{name}': {status.State.ToString().ToLowerInvariant()} ({Mimicry.Text.InertText.ForTerminal(status.Reason ?? "")}); {status.DaysDone:N0} days committed are kept.");
            return ExitCodes.Done;
        });
        return command;
    }
}
