using System.CommandLine;
using System.Text.Json;
using Mimicry.Client;
using Mimicry.SpecReading;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry fork LOOP --branch B --from-day K [--set path=value …]</c>: a new one-branch loop whose notebook starts
/// with branch B's first K days (read from the parent, not copied), with changed settings; the server checks and
/// charges it. Locally it runs at once, as <c>mimicry run</c> would; on a server it is submitted.
/// </summary>
internal static class ForkCommand
{
    public static Command Create()
    {
        var loop = new Argument<string>("loop") { Description = "The loop to fork from" };
        var branch = new Option<int>("--branch") { Description = "The branch whose days the fork starts with (0-based)", Required = true };
        var fromDay = new Option<int>("--from-day") { Description = "How many of its first days the fork shares (0: none)", Required = true };
        var set = new Option<string[]>("--set") { Description = $"A changed setting, path=value (repeatable): {string.Join(", ", ForkBuilder.Settable)}", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "The fork's loop name; default: LOOP-bBdK (with -2, -3 … if taken)" };
        var json = CommonOptions.Json("Print one JSON object with the outcome on stdout");
        var connection = new ApiConnection();
        var command = new Command("fork", "Start a new branch from the first days of an existing one, with changed settings") { loop, branch, fromDay, set, name, json };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var parent = parse.GetRequiredValue(loop);
            await using var session = await connection.OpenAsync(parse, drive: true)
                ?? throw new UserInputException($"no loop named '{parent}' in {DataFolder.Resolve(parse.GetValue(connection.Data))} (it holds no loops)");
            ForkResult fork;
            try
            {
                fork = await session.Client.ForkAsync(parent, new ForkRequest(parse.GetValue(branch), parse.GetValue(fromDay), parse.GetValue(set) ?? [], parse.GetValue(name)), ct);
            }
            catch (MimicryApiException ex) when (ex.Errors.Count > 0)
            {
                // Every problem at once, one per line, named as the options are.
                throw new SpecException(ex.Errors.Select(e => $"mimicry: {OptionNames(e)}").ToArray());
            }
            if (session.Folder is not null)
            {
                await Console.Error.WriteLineAsync(Mimicry.Text.InertText.ForTerminal(fork.Description));
                return await LoopFollower.FollowAsync(session, await session.Client.GetLoopAsync(fork.Loop, ct), fork.Loop, parse.GetValue(json));
            }
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["loop"] = fork.Loop,
                    ["status"] = fork.Status,
                    ["forkedFrom"] = new Dictionary<string, object?> { ["loop"] = fork.ForkedFrom.Loop, ["branch"] = fork.ForkedFrom.Branch, ["day"] = fork.ForkedFrom.Day, ["changes"] = fork.ForkedFrom.Changes },
                    ["forkBits"] = fork.ForkBits,
                }));
            }
            else
            {
                await Console.Out.WriteLineAsync($"{Mimicry.Text.InertText.ForTerminal(fork.Description)} Submitted: {fork.Status}. Follow it with: mimicry status");
            }
            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>The server names the body's fields; the command line names its options.</summary>
    private static string OptionNames(string error)
    {
        foreach (var (field, option) in new[] { ("branch:", "--branch:"), ("fromDay:", "--from-day:"), ("name:", "--name:"), ("set ", "--set "), ("set:", "--set:") })
        {
            if (error.StartsWith(field, StringComparison.Ordinal))
            {
                return option + error[field.Length..];
            }
        }
        return error;
    }
}
