using System.CommandLine;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry resume LOOP</c>: continues a loop the drift test paused (after a person looked), or one whose held days
/// were reviewed or whose run was interrupted. On a server the silos take it from there; locally it is driven with
/// progress, as <c>mimicry run</c> would.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var loop = new Argument<string>("loop") { Description = "The loop's name" };
        var connection = new ApiConnection();
        var command = new Command("resume", "Continue a loop that the drift test paused (after looking at the evidence), or one whose held days were reviewed") { loop };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetRequiredValue(loop);
            await using var session = await connection.OpenAsync(parse, drive: true)
                ?? throw new UserInputException($"no loop named '{name}' in {DataFolder.Resolve(parse.GetValue(connection.Data))} (it holds no loops)");
            var before = await session.Client.GetLoopAsync(name, ct);
            var status = await session.Client.ResumeAsync(name, ct);
            var note = before.State == "paused"
                ? $"Loop '{name}' resumed; the drift test starts over after the probes scored so far."
                : $"Loop '{name}' continues.";
            if (session.Folder is null)
            {
                await Console.Out.WriteLineAsync($"{note} It runs on {session.Where}: follow it with 'mimicry status'.");
                return ExitCodes.Done;
            }
            await Console.Error.WriteLineAsync(note);
            return await LoopFollower.FollowAsync(session, status, $"{name} (resumed)", json: false);
        });
        return command;
    }
}
