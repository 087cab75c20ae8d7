using System.CommandLine;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry notebook LOOP</c>: prints notebooks as Markdown or JSON lines, as the API exports them. Entry text is shown inert.</summary>
internal static class NotebookCommand
{
    public static Command Create()
    {
        var loop = new Argument<string>("loop") { Description = "The loop's name (see 'mimicry status')" };
        var branch = new Option<int?>("--branch") { Description = "Only this branch (0-based); default: every branch" };
        var format = new Option<string>("--format") { Description = "md (default) or jsonl", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "jsonl");
        var connection = new ApiConnection();
        var command = new Command("notebook", "Print a loop's notebooks (from the data folder, or a server with --server)") { loop, branch, format };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetRequiredValue(loop);
            await using var session = await connection.OpenAsync(parse)
                ?? throw new UserInputException($"no loop named '{name}' in {DataFolder.Resolve(parse.GetValue(connection.Data))} (it holds no loops)");
            await using var text = await session.Client.ExportNotebookAsync(name, parse.GetValue(format)!, parse.GetValue(branch), ct);
            using var reader = new StreamReader(text);
            // The server already fences and cleans model text; a server we do not control gets no say over our terminal either.
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                await Console.Out.WriteLineAsync(Mimicry.Text.InertText.ForTerminal(line));
            }
            await Console.Out.FlushAsync(ct);
            return ExitCodes.Done;
        });
        return command;
    }
}
