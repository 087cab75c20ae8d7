using System.Diagnostics;
using System.Runtime.InteropServices;
using Mimicry.Cli.Output;
using Mimicry.Client;

namespace Mimicry.Cli.Commands;

/// <summary>
/// Follows a loop to where it settles (ends, pauses, or waits for review) over the API's progress stream, with the
/// progress display and the run summary; Ctrl-C (or SIGTERM) stops following, and, when this command hosts the loop, stops it cleanly.
/// </summary>
internal static class LoopFollower
{
    public static async Task<int> FollowAsync(ApiSession session, LoopView start, string label, bool json)
    {
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
        var startSessions = start.Sessions;
        var last = start;
        if (start.Settled && start.Status != "awaiting review")
        {
            await progressOut.WriteLineAsync(start.State == "paused"
                ? $"Loop '{start.Loop}' is paused ({Mimicry.Text.InertText.ForTerminal(start.Reason ?? "")}). Look at its probes ('mimicry probes list --loop {start.Loop}'), then continue it with: mimicry resume {start.Loop}"
                : start.Status == "interrupted" ? $"Loop '{start.Loop}' is not running here; continue it with: mimicry resume {start.Loop}"
                : $"Loop '{start.Loop}' already ended ({start.State}); nothing to do.");
        }
        else if (!start.Settled)
        {
            try
            {
                await foreach (var view in session.Client.FollowAsync(start.Loop, display.PollInterval, interrupt.Token))
                {
                    last = view;
                    display.Update(Wire.Status(view), clock.Elapsed, startSessions);
                }
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
            }
        }
        display.Finish();
        Console.CancelKeyPress -= onCancel;
        if (interrupt.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(session.HostedHere
                ? "Interrupted: stopping cleanly. Days already committed are kept; run the same command again to resume."
                : $"Stopped following; the loop goes on at {session.Where}.");
            return exitOnInterrupt;
        }
        last = await session.Client.GetLoopAsync(start.Loop);
        var summary = new RunSummary(Wire.Status(last), clock.Elapsed, last.Sessions - startSessions, session.Folder ?? session.Where);
        await Console.Out.WriteAsync(json ? summary.ToJson() + Environment.NewLine : summary.ToText(label));
        return last.State == "failed" ? ExitCodes.Failure : ExitCodes.Done;
    }
}
