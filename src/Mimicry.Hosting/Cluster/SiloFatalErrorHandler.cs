using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// What a silo does when Orleans gives up on it (most often: the cluster declared it dead because it could not be
/// reached). Orleans' own handler prints a stack trace and aborts; an operator needs one sentence and a plain exit
/// code. The process ends at once either way: a silo the cluster considers dead must not keep running grains.
/// </summary>
internal sealed partial class SiloFatalErrorHandler(ILogger<SiloFatalErrorHandler> logger) : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => exception is not ThreadInterruptedException;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        Fatal(logger, exception, context);
        var told = context?.Contains("told I am dead", StringComparison.Ordinal) == true;
        Console.Error.WriteLine(told
            ? "mimicry: the cluster declared this silo dead, so it stops (the other silos could not reach it: check AdvertisedAddress, the ports, firewalls and the TLS certificate)"
            : $"mimicry: the silo hit a fatal error and stops: {exception?.Message ?? context ?? "unknown"}");
        Console.Error.Flush();
        Console.Out.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            Exit(1);
        }
        Environment.Exit(1);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int code);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal silo error: {Context}")]
    private static partial void Fatal(ILogger logger, Exception? exception, string? context);
}
