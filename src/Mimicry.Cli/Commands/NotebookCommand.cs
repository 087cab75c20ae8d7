using System.CommandLine;
using Mimicry.Cli.Output;
using Mimicry.Specs;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry notebook LOOP</c>: prints notebooks as Markdown or JSON lines. Entry text is shown inert.</summary>
internal static class NotebookCommand
{
    public static Command Create()
    {
        var loop = new Argument<string>("loop") { Description = "The loop's name (see 'mimicry status')" };
        var data = CommonOptions.Data();
        var branch = new Option<int?>("--branch") { Description = "Only this branch (0-based); default: every branch" };
        var format = new Option<string>("--format") { Description = "md (default) or jsonl", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "jsonl");
        var command = new Command("notebook", "Print a loop's notebooks") { loop, data, branch, format };
        command.SetAction((parse, ct) => RunAsync(parse.GetRequiredValue(loop), DataFolder.Resolve(parse.GetValue(data)), parse.GetValue(branch), parse.GetValue(format)!));
        return command;
    }

    private static async Task<int> RunAsync(string loop, string folder, int? branch, string format)
    {
        await using var store = StoreReader.OpenExisting(folder);
        var record = await StoreReader.RequireLoopAsync(store, folder, loop);
        var spec = SpecJson.Deserialize(record.SpecJson);
        if (branch is { } b && (b < 0 || b >= spec.Branches))
        {
            throw new UserInputException($"--branch: must be between 0 and {spec.Branches - 1} for loop '{loop}' (got {b})");
        }
        var writer = new NotebookWriter(Console.Out, format == "jsonl");
        writer.Header(spec);
        for (var i = branch ?? 0; i <= (branch ?? spec.Branches - 1); i++)
        {
            writer.Branch(i, await store!.ReadDaysAsync(loop, i));
        }
        await Console.Out.FlushAsync();
        return ExitCodes.Done;
    }
}
