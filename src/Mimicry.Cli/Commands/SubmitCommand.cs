using System.CommandLine;
using System.Text.Json;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry submit SPEC</c>: starts a loop on a server (or the server running for the data folder) and returns; the
/// server checks the spec and runs it.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The loop spec file (YAML or JSON); see docs/loop-spec.md" };
        var json = CommonOptions.Json("Print the loop's status as JSON");
        var connection = new ApiConnection();
        var command = new Command("submit", "Start a loop on a server (or resume it) and return; follow it with 'mimicry status'") { spec, json };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetRequiredValue(spec);
            if (!file.Exists)
            {
                throw new UserInputException($"{file.FullName}: cannot read the spec file (no such file)");
            }
            var text = await File.ReadAllTextAsync(file.FullName, ct);
            if (!connection.Remote(parse))
            {
                var folder = DataFolder.Resolve(parse.GetValue(connection.Data));
                if (LocalServer.Find(folder) is null)
                {
                    throw new UserInputException($"no server runs for {folder}: run the loop here with 'mimicry run {file.Name}', start 'mimicry serve --data {folder}', or give --server URL");
                }
            }
            await using var session = (await connection.OpenAsync(parse))!;
            var status = await session.Client.SubmitAsync(text, file.Name, session.Folder is null ? null : file.DirectoryName, ct);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(status, Mimicry.Client.MimicryJson.Options));
            }
            else
            {
                await Console.Out.WriteLineAsync($"Submitted loop '{status.Loop}': {status.State}, {status.Branches} branches × {status.DaysPerBranch} days. Follow it with: mimicry status");
            }
            return ExitCodes.Done;
        });
        return command;
    }
}
