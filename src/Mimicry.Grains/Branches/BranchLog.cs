using Microsoft.Extensions.Logging;

namespace Mimicry.Grains.Branches;

internal static partial class BranchLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Branch {Branch} finished: {State} ({Reason})")]
    public static partial void Finished(ILogger logger, string branch, Status.RunState state, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Branch {Branch} day {Day}: {Missing} session result(s) overdue; dispatching them again")]
    public static partial void Redispatch(ILogger logger, string branch, int day, int missing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Branch {Branch}: attempt {Attempt} stopped by an error ({Reason}); starting again from the store")]
    public static partial void Retrying(ILogger logger, string branch, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Branch {Branch} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string branch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Branch {Branch} held for review: {Reason}")]
    public static partial void Held(ILogger logger, string branch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Branch {Branch} stops: its loop is no longer running")]
    public static partial void LoopNotRunning(ILogger logger, string branch);
}
