using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Mimicry.Hosting;

/// <summary>
/// Console logs for operators: one line per event, "time level category: message (error)". Exception stacks are
/// left out unless MIMICRY_DEBUG=1: a log line says what happened; a stack trace is for whoever debugs Mimicry.
/// </summary>
internal sealed class OneLineConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "mimicry";

    private static readonly bool Debug = Environment.GetEnvironmentVariable("MIMICRY_DEBUG") == "1";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        // Messages quote names and server errors (a model server's text, a loop's reason): shown inert, on one line.
        textWriter.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {level} {logEntry.Category}: {OneLine(message)}");
        if (logEntry.Exception is { } ex)
        {
            textWriter.Write(Debug ? Environment.NewLine + Mimicry.Text.InertText.ForTerminal(ex.ToString()) : $" ({ex.GetType().Name}: {OneLine(ex.Message)})");
        }
        textWriter.WriteLine();
    }

    private static string OneLine(string text) => Mimicry.Text.InertText.ForTerminal(text).ReplaceLineEndings(" ").Replace('\t', ' ');
}

internal static class OneLineConsoleExtensions
{
    public static ILoggingBuilder AddOneLineConsole(this ILoggingBuilder logging) =>
        logging.AddConsole(o =>
        {
            o.FormatterName = OneLineConsoleFormatter.Name;
            o.LogToStandardErrorThreshold = LogLevel.Trace;
        }).AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>();
}
