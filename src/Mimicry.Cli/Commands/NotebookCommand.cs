using System.CommandLine;
using Mimicry.Cli.Output;
using Mimicry.Grains.Catalog;
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
        var connection = new ClusterConnection(local: true);
        var command = new Command("notebook", "Print a loop's notebooks (from the data folder, or a cluster with --cluster)") { loop, data, branch, format };
        connection.AddTo(command);
        command.SetAction((parse, ct) => connection.ConnectionString(parse) is null
            ? RunAsync(parse.GetRequiredValue(loop), DataFolder.Resolve(parse.GetValue(data)), parse.GetValue(branch), parse.GetValue(format)!)
            : RunOnClusterAsync(connection, parse, parse.GetRequiredValue(loop), parse.GetValue(branch), parse.GetValue(format)!, ct));
        return command;
    }

    private static async Task<int> RunOnClusterAsync(ClusterConnection connection, ParseResult parse, string loop, int? branch, string format, CancellationToken ct)
    {
        await using var client = await connection.ConnectAsync(parse, ct);
        var catalog = client.Grains.GetGrain<Mimicry.Grains.ICatalogGrain>(0);
        var loops = await catalog.ListLoops();
        var summary = loops.FirstOrDefault(l => l.Loop == loop)
            ?? throw new UserInputException($"no loop named '{loop}' in the cluster ({(loops.Count == 0 ? "it holds no loops" : "it holds: " + string.Join(", ", loops.Select(l => l.Loop)))})");
        var spec = SpecJson.Deserialize(summary.SpecJson);
        CheckBranch(branch, spec.Branches, loop);
        var writer = new NotebookWriter(Console.Out, format == "jsonl");
        writer.Header(spec);
        for (var i = branch ?? 0; i <= (branch ?? spec.Branches - 1); i++)
        {
            var days = await catalog.ReadBranch(loop, i);
            writer.Branch(i, days.Select(d => NotebookView.FromWire(loop, i, d)).ToList());
        }
        await Console.Out.FlushAsync(ct);
        return ExitCodes.Done;
    }

    private static void CheckBranch(int? branch, int branches, string loop)
    {
        if (branch is { } b && (b < 0 || b >= branches))
        {
            throw new UserInputException($"--branch: must be between 0 and {branches - 1} for loop '{loop}' (got {b})");
        }
    }

    private static async Task<int> RunAsync(string loop, string folder, int? branch, string format)
    {
        await using var store = StoreReader.OpenExisting(folder);
        var record = await StoreReader.RequireLoopAsync(store, folder, loop);
        var spec = SpecJson.Deserialize(record.SpecJson);
        CheckBranch(branch, spec.Branches, loop);
        var writer = new NotebookWriter(Console.Out, format == "jsonl");
        writer.Header(spec);
        for (var i = branch ?? 0; i <= (branch ?? spec.Branches - 1); i++)
        {
            writer.Branch(i, await NotebookView.ReadAsync(store!, spec, i));
        }
        await Console.Out.FlushAsync();
        return ExitCodes.Done;
    }
}
