using System.CommandLine;
using Mimicry.Grains;
using Mimicry.Grains.Branches;
using Mimicry.Spec;
using Mimicry.Specs;
using Mimicry.Status;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry fork LOOP --branch B --from-day K [--set path=value …]</c>: a new one-branch loop whose notebook starts
/// with branch B's first K days (read from the parent, not copied), with changed settings. Locally it runs at once,
/// as <c>mimicry run</c> would; on a cluster it is submitted.
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
        var data = CommonOptions.Data();
        var json = CommonOptions.Json("Print one JSON object with the outcome on stdout");
        var connection = new ClusterConnection(local: true);
        var command = new Command("fork", "Start a new branch from the first days of an existing one, with changed settings") { loop, branch, fromDay, set, name, data, json };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = new ForkRequest(parse.GetRequiredValue(loop), parse.GetValue(branch), parse.GetValue(fromDay), parse.GetValue(set) ?? [], parse.GetValue(name));
            if (connection.ConnectionString(parse) is null)
            {
                var folder = DataFolder.Resolve(parse.GetValue(data));
                LoopSpec spec;
                await using (var store = StoreReader.OpenExisting(folder))
                {
                    var parent = SpecJson.Deserialize((await StoreReader.RequireLoopAsync(store, folder, request.Loop)).SpecJson);
                    var committed = request.Branch >= 0 && request.Branch < parent.Branches ? (await NotebookLineage.ReadDaysAsync(store!, parent, request.Branch)).Count : 0;
                    spec = Build(request, parent, committed, (await store!.ListLoopsAsync()).Select(l => SpecJson.Deserialize(l.SpecJson)).ToList());
                }
                await Console.Error.WriteLineAsync(Describe(spec));
                return await RunCommand.DriveAsync(spec, spec.Name, folder, parse.GetValue(json), Hosting.TraceExport.None, Storage.Sqlite.SqliteSync.Full);
            }
            await using var client = await connection.ConnectAsync(parse, ct);
            var catalog = client.Grains.GetGrain<ICatalogGrain>(0);
            var loops = (await catalog.ListLoops()).Select(l => SpecJson.Deserialize(l.SpecJson)).ToList();
            var parentSpec = loops.FirstOrDefault(l => l.Name == request.Loop)
                ?? throw new UserInputException($"no loop named '{request.Loop}' in the cluster ({(loops.Count == 0 ? "it holds no loops" : "it holds: " + string.Join(", ", loops.Select(l => l.Name)))})");
            var days = request.Branch >= 0 && request.Branch < parentSpec.Branches ? (await catalog.ReadBranch(request.Loop, request.Branch)).Count : 0;
            var forked = Build(request, parentSpec, days, loops);
            var status = await client.Grains.GetGrain<ILoopGrain>(forked.Name).Start(forked);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["loop"] = forked.Name,
                    ["status"] = status.State.ToString().ToLowerInvariant(),
                    ["forkedFrom"] = new Dictionary<string, object?> { ["loop"] = forked.Fork!.Loop, ["branch"] = forked.Fork.Branch, ["day"] = forked.Fork.FromDay, ["changes"] = forked.Fork.Changes },
                    ["forkBits"] = Math.Round(forked.Fork.Bits, 6),
                }));
            }
            else
            {
                await Console.Out.WriteLineAsync($"{Describe(forked)} Submitted: {status.State.ToString().ToLowerInvariant()}. Follow it with: mimicry status");
            }
            return ExitCodes.Done;
        });
        return command;
    }

    private sealed record ForkRequest(string Loop, int Branch, int FromDay, IReadOnlyList<string> Sets, string? Name);

    private static LoopSpec Build(ForkRequest request, LoopSpec parent, int committedDays, IReadOnlyList<LoopSpec> existing)
    {
        var taken = existing.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var name = request.Name ?? DefaultName(request, taken);
        if (request.Name is not null && taken.Contains(name))
        {
            throw new UserInputException($"--name: a loop named '{name}' already exists; choose another name");
        }
        // The parent's branch is one timeline from this point; every earlier fork from the same point is another.
        var timelines = 1 + existing.Count(s => s.Fork is { } f && f.Loop == parent.Name && f.Branch == request.Branch && f.FromDay == request.FromDay);
        try
        {
            return ForkBuilder.Build(parent, request.Branch, request.FromDay, committedDays, name, request.Sets, timelines, DateTimeOffset.UtcNow);
        }
        catch (SpecException ex)
        {
            // Every problem at once, one per line, as for a spec file.
            throw new SpecException(ex.Errors.Select(e => $"mimicry: {e}").ToArray());
        }
    }

    private static string DefaultName(ForkRequest request, HashSet<string> taken)
    {
        var stem = $"{request.Loop}-b{request.Branch}d{request.FromDay}";
        var name = stem;
        for (var n = 2; taken.Contains(name); n++)
        {
            name = $"{stem}-{n}";
        }
        return name.Length <= 64 ? name : throw new UserInputException($"--name: the default name '{name}' is longer than 64 characters; give one with --name");
    }

    private static string Describe(LoopSpec spec) =>
        $"Fork '{spec.Name}': branch {spec.Fork!.Branch} of '{spec.Fork.Loop}' after day {spec.Fork.FromDay}{(spec.Fork.Changes.Count > 0 ? $", with {Mimicry.Text.InertText.ForTerminal(string.Join(", ", spec.Fork.Changes))}" : "")}; forking charges {spec.Fork.Bits:0.###} bits.";
}
