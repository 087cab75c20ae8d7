using Microsoft.Extensions.Configuration;
using System.CommandLine;
using Mimicry.Client;
using Mimicry.Hosting;
using Mimicry.SpecReading;
using Mimicry.Storage.Sqlite;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry run SPEC</c>: runs (or resumes) a loop on this machine. It serves the API for the data folder on
/// 127.0.0.1 while it runs (or uses the server already running for it) and submits and follows the loop through it.
/// </summary>
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
        command.SetAction((parse, ct) => RunAsync(parse.GetRequiredValue(spec), parse.GetValue(data), parse.GetValue(json),
            Enum.Parse<TraceExport>(parse.GetValue(trace)!, ignoreCase: true), Enum.Parse<SqliteSync>(parse.GetValue(sync)!, ignoreCase: true)));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo specFile, DirectoryInfo? data, bool json, TraceExport trace, SqliteSync sync)
    {
        // Validate everything before touching the data folder: bad input leaves nothing behind.
        if (json && trace == TraceExport.Console)
        {
            throw new UserInputException("--trace console prints spans on stdout, where --json prints its result; use one of them, or --trace otlp");
        }
        // Checked here first, against this machine's backends (Mimicry__Backends__*), so bad input never touches the folder.
        var backends = BackendSettings.Load(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        SpecReader.Load(specFile.FullName, DateTimeOffset.UtcNow,
            SpecContext.Current with { BaseDirectory = Path.GetDirectoryName(specFile.FullName)!, Backends = backends.All });
        var text = await File.ReadAllTextAsync(specFile.FullName);
        var folder = DataFolder.Resolve(data);
        await using var session = (await ApiSession.LocalAsync(folder, drive: true, create: true, trace, sync, dashboard: false))!;
        if (!json)
        {
            await Console.Error.WriteLineAsync($"API: {session.ApiUrl}api/reference (token in {Path.Combine(folder, LocalServer.TokenFile)})");
            await Console.Error.WriteLineAsync($"Web UI: {session.ApiUrl}ui/ (sign in with that token) while this runs; 'mimicry serve' keeps it up afterwards");
        }
        var start = await session.Client.SubmitAsync(text, specFile.Name, Path.GetDirectoryName(specFile.FullName));
        return await LoopFollower.FollowAsync(session, start, specFile.Name, json);
    }
}
