using System.CommandLine;
using Mimicry.Grains;
using Mimicry.Specs;
using Mimicry.Status;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry resume LOOP</c>: after a person has looked at a loop the drift test paused, continues it. On a cluster
/// the silos take it from there; locally the loop is marked running again and driven as <c>mimicry run</c> would.
/// Locally it also continues a running loop whose branches stopped for review, once the reviews are decided.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var loop = new Argument<string>("loop") { Description = "The paused loop's name" };
        var data = CommonOptions.Data();
        var connection = new ClusterConnection(local: true);
        var command = new Command("resume", "Continue a loop that the drift test paused (after looking at the evidence), or one whose held days were reviewed") { loop, data };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetRequiredValue(loop);
            var by = Environment.GetEnvironmentVariable("MIMICRY_CALIBRATOR") is { Length: > 0 } who ? who : Environment.UserName;
            if (connection.ConnectionString(parse) is not null)
            {
                await using var client = await connection.ConnectAsync(parse, ct);
                try
                {
                    var status = await client.Grains.GetGrain<ILoopGrain>(name).ResumeAfterReview(by);
                    await Console.Out.WriteLineAsync($"Loop '{name}' is {status.State.ToString().ToLowerInvariant()} again; the drift test starts over after the probes scored so far.");
                    return ExitCodes.Done;
                }
                catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
                {
                    throw new UserInputException(ex.Message);
                }
            }
            var folder = DataFolder.Resolve(parse.GetValue(data));
            if (DataFolderLock.IsHeld(folder))
            {
                // Checked before anything is written: the run holding the folder would not see the change.
                throw new UserInputException($"a 'mimicry run' is using {folder}; stop it first (Ctrl-C), then resume");
            }
            LoopSpecHolder spec;
            await using (var store = StoreReader.OpenExisting(folder))
            {
                var record = await StoreReader.RequireLoopAsync(store, folder, name);
                if (record.State is not (RunState.Paused or RunState.Running))
                {
                    throw new UserInputException($"loop '{name}' is {record.State.ToString().ToLowerInvariant()}: there is nothing to resume");
                }
                spec = new LoopSpecHolder(SpecJson.Deserialize(record.SpecJson));
                if (record.State == RunState.Paused)
                {
                    await store!.AcknowledgeProbesAsync(name);
                    await store.SetLoopStateAsync(name, RunState.Running, null);
                    await Console.Error.WriteLineAsync($"Loop '{name}' resumed by {by}; the drift test starts over after the probes scored so far.");
                }
                else
                {
                    // A running loop stopped for reviews (or interrupted): branches act on the decisions made meanwhile.
                    await Console.Error.WriteLineAsync($"Loop '{name}' continues.");
                }
            }
            return await RunCommand.DriveAsync(spec.Spec, $"{name} (resumed)", folder, json: false, Hosting.TraceExport.None, Storage.Sqlite.SqliteSync.Full);
        });
        return command;
    }

    private sealed record LoopSpecHolder(Spec.LoopSpec Spec);
}
