using System.Globalization;
using Mimicry.Status;

namespace Mimicry.Cli.Output;

/// <summary>
/// Live progress. On a terminal, one line redrawn in place several times a second; otherwise (CI logs, pipes)
/// a plain line every few seconds.
/// </summary>
internal sealed class ProgressDisplay(TextWriter output, bool isTerminal)
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(3);
    private TimeSpan _lastPlain = TimeSpan.Zero;
    private TimeSpan _lastTime = TimeSpan.Zero;
    private long _lastSessions;
    private double _rate;
    private bool _drew;

    public TimeSpan PollInterval => isTerminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromMilliseconds(500);

    public void Update(LoopStatus s, TimeSpan elapsed, long startSessions)
    {
        var dt = (elapsed - _lastTime).TotalSeconds;
        if (dt > 0)
        {
            var instant = (s.Sessions - Math.Max(_lastSessions, startSessions)) / dt;
            _rate = _lastTime == TimeSpan.Zero ? instant : 0.6 * _rate + 0.4 * instant;
        }
        _lastTime = elapsed;
        _lastSessions = s.Sessions;
        var line = Line(s, elapsed);
        if (isTerminal)
        {
            var width = TerminalWidth();
            output.Write("\r\u001b[K" + (line.Length >= width ? line[..(width - 1)] : line));
            output.Flush();
            _drew = true;
        }
        else if (elapsed - _lastPlain >= PlainEvery)
        {
            _lastPlain = elapsed;
            output.WriteLine(line);
            output.Flush();
        }
    }

    public void Finish()
    {
        if (_drew)
        {
            output.WriteLine();
        }
    }

    private string Line(LoopStatus s, TimeSpan elapsed)
    {
        var planned = (long)s.Branches * s.DaysPerBranch;
        var fraction = planned == 0 ? 1 : (double)s.DaysDone / planned;
        var bar = isTerminal ? Bar(fraction) + " " : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{bar}{fraction,4:P0} days {s.DaysDone:N0}/{planned:N0} (per branch {s.MinDaysDone}-{s.MaxDaysDone} of {s.DaysPerBranch}) | branches done {s.BranchesFinished:N0}/{s.Branches:N0} | {_rate:N0} sessions/s | {s.BitsSpent:N1} bits | {elapsed:m\\:ss}");
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 20 ? Console.WindowWidth : 160;
        }
        catch (IOException)
        {
            return 160;
        }
    }

    private static string Bar(double fraction)
    {
        const int width = 24;
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
