using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mimicry.Hosting;

namespace Mimicry.IntegrationTests.Hosting;

/// <summary>Operator logs quote names and servers' errors: one line each, with nothing that can drive a terminal.</summary>
public sealed class OneLineConsoleFormatterTests
{
    [Fact]
    public void EscapeSequences_BidiControls_AndNewlines_NeverReachTheLog()
    {
        var hostile = "loop \u001b[31mred\u001b[0m\nsecond line\u202Ereversed\u2066isolated\u2069\u200E";
        var entry = new LogEntry<string>(LogLevel.Warning, "Mimicry.Test", default, hostile, new InvalidOperationException("server said \u001b]0;title\u0007\r\nnext"), (s, _) => s);
        using var output = new StringWriter();
        new OneLineConsoleFormatter().Write(entry, null, output);
        var line = output.ToString();
        Assert.EndsWith(" warn Mimicry.Test: loop [31mred[0m second linereversedisolated (InvalidOperationException: server said ]0;title next)" + Environment.NewLine, line, StringComparison.Ordinal);
        Assert.Single(line.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
