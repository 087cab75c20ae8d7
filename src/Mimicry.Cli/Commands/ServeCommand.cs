using System.CommandLine;
using System.Runtime.InteropServices;
using Mimicry.Hosting;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry serve --data DIR</c>: serves a data folder's API on 127.0.0.1 until Ctrl-C, running the loops submitted to
/// it (and those resumed through it). Local commands on the folder use it while it runs.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var port = new Option<int>("--port") { Description = "The API's port on 127.0.0.1 (default: 5080; 0 picks a free one)", DefaultValueFactory = _ => 5080 };
        var trace = new Option<string>("--trace") { Description = "Export spans: none, console or otlp", DefaultValueFactory = _ => "none" };
        trace.AcceptOnlyFromAmong("none", "console", "otlp");
        var command = new Command("serve", "Serve a data folder's API on 127.0.0.1 (submit, review, probes, progress) until Ctrl-C") { data, port, trace };
        command.SetAction(async (parse, ct) =>
        {
            var p = parse.GetValue(port);
            if (p is < 0 or > 65535)
            {
                throw new UserInputException($"--port: must be 0 to 65535 (got {p})");
            }
            var folder = DataFolder.Resolve(parse.GetValue(data));
            if (LocalServer.Find(folder) is { } running)
            {
                throw new UserInputException($"a server already runs for {folder} at {running}");
            }
            await using var session = (await ApiSession.LocalAsync(folder, drive: true, create: true,
                Enum.Parse<TraceExport>(parse.GetValue(trace)!, ignoreCase: true), Storage.Sqlite.SqliteSync.Full, p))!;
            using var stopping = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
            await Console.Out.WriteLineAsync($"mimicry serve: {folder} at {session.ApiUrl} (web UI {session.ApiUrl}ui/; API reference {session.ApiUrl}api/reference; token in {Path.Combine(folder, LocalServer.TokenFile)}). Ctrl-C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await Console.Error.WriteLineAsync("mimicry serve: stopping; committed days are kept, and the loops resume when served or run again");
            return ExitCodes.Done;
        });
        return command;
    }
}
