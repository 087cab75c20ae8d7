using System.CommandLine;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry cancel LOOP</c>: stops a loop for good; committed days stay. The cancel is recorded under your name.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var loop = new Argument<string>("loop") { Description = "The loop's name (see 'mimicry status')" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept with the loop's state and in the audit log)" };
        var connection = new ApiConnection();
        var command = new Command("cancel", "Stop a loop for good (its committed days are kept)") { loop, reason };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetRequiredValue(loop);
            await using var session = await connection.OpenAsync(parse)
                ?? throw new UserInputException($"no loop named '{name}' in {DataFolder.Resolve(parse.GetValue(connection.Data))} (it holds no loops)");
            var status = await session.Client.CancelAsync(name, parse.GetValue(reason), ct);
            await Console.Out.WriteLineAsync($"Loop '{name}': {status.State} ({Mimicry.Text.InertText.ForTerminal(status.Reason ?? "")}); {status.Days:N0} days committed are kept.");
            return ExitCodes.Done;
        });
        return command;
    }
}
