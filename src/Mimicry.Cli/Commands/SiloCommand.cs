using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Hosting;
using Mimicry.Hosting.Cluster;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry silo --config FILE</c>: runs one silo of a cluster until SIGINT or SIGTERM.</summary>
internal static class SiloCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "The silo's JSON config file (see deploy/silo.json); Mimicry__* environment variables override it" };
        var trace = new Option<string>("--trace") { Description = "Export spans and metrics: none, console or otlp (OTEL_EXPORTER_OTLP_ENDPOINT also enables OTLP)", DefaultValueFactory = _ => "none" };
        trace.AcceptOnlyFromAmong("none", "console", "otlp");
        var verbose = new Option<bool>("--verbose") { Description = "Log Mimicry's informational messages too" };
        var command = new Command("silo", "Run a silo of a cluster (PostgreSQL for membership and notebooks)") { config, trace, verbose };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config), Enum.Parse<TraceExport>(parse.GetValue(trace)!, ignoreCase: true), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, TraceExport trace, bool verbose, CancellationToken ct)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            if (!file.Exists)
            {
                throw new UserInputException($"--config: no such file: {file.FullName}");
            }
            try
            {
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file.FullName, ct), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                throw new UserInputException($"--config: {file.Name}: not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})");
            }
            builder.AddJsonFile(file.FullName, optional: false);
        }
        builder.AddEnvironmentVariables();
        var configuration = builder.Build();
        HostSettings.Check(configuration);

        using var stopping = new CancellationTokenSource();
        var exit = ExitCodes.Done;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });

        await using var host = await ClusterSilo.StartAsync(configuration, trace, verbose ? LogLevel.Information : LogLevel.Warning, ct);
        var settings = ClusterSilo.Bind(configuration);
        await Console.Error.WriteLineAsync($"mimicry silo: up in cluster '{settings.ClusterId}' (silo port {settings.SiloPort}, API {string.Join(", ", host.Urls)}); Ctrl-C or SIGTERM stops it");
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await Console.Error.WriteLineAsync("mimicry silo: stopping (its branches resume on the other silos, or when a silo starts again)");
        await host.StopAsync(CancellationToken.None);
        return exit;
    }
}
