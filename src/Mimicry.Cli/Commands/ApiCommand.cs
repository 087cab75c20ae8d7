using System.CommandLine;

namespace Mimicry.Cli.Commands;

/// <summary>Wires a command that acts through the API: <c>--server</c>/<c>--data</c>, a session opened and closed around the action.</summary>
internal static class ApiCommand
{
    public static void Wire(Command command, Func<ApiSession, ParseResult, CancellationToken, Task<int>> action)
    {
        var connection = new ApiConnection();
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await connection.OpenAsync(parse)
                ?? throw new UserInputException($"no loops in {DataFolder.Resolve(parse.GetValue(connection.Data))} (it holds no Mimicry data)");
            return await action(session, parse, ct);
        });
    }
}
