using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Mimicry.Cli.Output;
using Mimicry.Grains;
using Mimicry.Hosting;
using Mimicry.Spec;
using Mimicry.Specs;
using Mimicry.Status;
using Mimicry.Storage.Sqlite;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry run SPEC</c>: runs (or resumes) a loop on an embedded single-silo host.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The loop spec file (YAML or JSON); see docs/loop-spec.md" };
        var data = CommonOptions.Data();
        var json = CommonOptions.Json("Print one JSON object with the outcome on stdout (progress goes to stderr)");
        var trace = new Option<string>("--trace") { Description = "Export spans: none, console or otlp (OTEL_EXPORTER_OTLP_ENDPOINT also enables OTLP)", DefaultValueFactory = _ => "none" };
        trace.AcceptOnlyFromAmong("none", "console", "otlp");
        var sync = new Option<string>("--sync")
        {
            Description = "How each commit reaches the disk: full (synced; survives power loss) or normal (survives a killed process, not an OS crash)",
            DefaultValueFactory = _ => "full",
        };
        sync.AcceptOnlyFromAmong("normal", "full");
        var command = new Command("run", "Run a loop on this machine, or resume it where it stopped") { spec, data, json, trace, sync };
        command.SetAction((parse, ct) => RunAsync(parse.GetRequiredValue(spec), DataFolder.Resolve(parse.GetValue(data)), parse.GetValue(json), Enum.Parse<TraceExport>(parse.GetValue(trace)!, ignoreCase: true), Enum.Parse<SqliteSync>(parse.GetValue(sync)!, ignoreCase: true)));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo specFile, string folder, bool json, TraceExport trace, SqliteSync sync)
    {
        // Validate everything before touching the data folder: bad input leaves nothing behind.
        if (json && trace == TraceExport.Console)
        {
            throw new UserInputException("--trace console prints spans on stdout, where --json prints its result; use one of them, or --trace otlp");
        }
        var spec = SpecReader.Load(specFile.FullName, DateTimeOffset.UtcNow);
        return await DriveAsync(spec, specFile.Name, folder, json, trace, sync);
    }

    /// <summary>Runs (or resumes) a validated loop on an embedded silo over the data folder, with progress and a summary.</summary>
    public static async Task<int> DriveAsync(LoopSpec spec, string label, string folder, bool json, TraceExport trace, SqliteSync sync)
    {
        HostSettings.CheckEnvironment();
        if (File.Exists(folder))
        {
            throw new UserInputException($"--data: {folder} is a file, not a folder");
        }
        await using var store = SqliteNotebookStore.Open(folder, sync);
        using var folderLock = DataFolderLock.Acquire(folder);
        var existing = await store.GetLoopAsync(spec.Name);
        if (existing is not null && existing.SpecHash != SpecJson.Hash(spec))
        {
            throw new UserInputException($"{label}: name: a loop named '{spec.Name}' already exists in {folder} with a different spec; give the changed spec a new name (or use another --data folder)");
        }

        using var interrupt = new CancellationTokenSource();
        var exitOnInterrupt = ExitCodes.Interrupted;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl-C stops cleanly; a second one while that is under way ends the process at once.
            e.Cancel = !interrupt.IsCancellationRequested;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            exitOnInterrupt = ExitCodes.Terminated;
            interrupt.Cancel();
        });

        var progressOut = json ? Console.Error : Console.Out;
        var display = new ProgressDisplay(progressOut, isTerminal: json ? !Console.IsErrorRedirected : !Console.IsOutputRedirected);
        var clock = Stopwatch.StartNew();
        await using var host = await EmbeddedHost.StartAsync(store, trace);
        var loop = host.Grains.GetGrain<ILoopGrain>(spec.Name);
        var status = await loop.Start(spec);
        var startSessions = status.Sessions;
        if (status.State != RunState.Running)
        {
            await progressOut.WriteLineAsync(status.State == RunState.Paused
                ? $"Loop '{spec.Name}' is paused ({Mimicry.Text.InertText.ForTerminal(status.Reason ?? "")}). Look at its probes ('mimicry probes list --loop {spec.Name}'), then continue it with: mimicry resume {spec.Name}"
                : $"Loop '{spec.Name}' already ended ({status.State.ToString().ToLowerInvariant()}); nothing to do.");
        }
        while (status.State == RunState.Running && !RunSummary.AllWaiting(status) && !interrupt.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(display.PollInterval, interrupt.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            status = await loop.GetStatus();
            display.Update(status, clock.Elapsed, startSessions);
        }
        display.Finish();

        Console.CancelKeyPress -= onCancel;
        if (interrupt.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted: stopping cleanly. Days already committed are kept; run the same command again to resume.");
            await host.StopAsync();
            return exitOnInterrupt;
        }
        status = await loop.GetStatus();
        await host.StopAsync();
        var summary = new RunSummary(status, clock.Elapsed, status.Sessions - startSessions, folder);
        if (json)
        {
            await Console.Out.WriteLineAsync(summary.ToJson());
        }
        else
        {
            await Console.Out.WriteAsync(summary.ToText(label));
        }
        return status.State == RunState.Failed ? ExitCodes.Failure : ExitCodes.Done;
    }
}
