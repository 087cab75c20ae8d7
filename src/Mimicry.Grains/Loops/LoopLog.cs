using Microsoft.Extensions.Logging;
using Mimicry.Status;

namespace Mimicry.Grains.Loops;

internal static partial class LoopLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Loop {Loop}: started {Count} branches")]
    public static partial void BranchesStarted(ILogger logger, string loop, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loop {Loop} finished: {State} ({Reason})")]
    public static partial void Finished(ILogger logger, string loop, RunState state, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loop {Loop} paused for a person to look: {Reason}")]
    public static partial void Paused(ILogger logger, string loop, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loop {Loop} resumed after review by {By}")]
    public static partial void Resumed(ILogger logger, string loop, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loop {Loop}: silo {Silo} died; restarting the branches it held")]
    public static partial void Recovering(ILogger logger, string loop, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loop {Loop}: {Count} branches could not be started after {Attempts} attempts; the loop's watch will try again")]
    public static partial void StartFailed(ILogger logger, string loop, int count, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loop {Loop}: {Count} branch stop(s) failed; those branches stop before their next day anyway")]
    public static partial void StopFailed(ILogger logger, string loop, int count);
}
