using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Grains.Simulators;
using Mimicry.Sessions;
using Mimicry.Telemetry;

namespace Mimicry.Grains.Sessions;

/// <summary>
/// Runs admitted sessions on this silo, at most <c>simulator.maxConcurrency</c> at once per loop, and reports
/// each result to its branch. Sessions run on the thread pool, not a grain scheduler: they are not grain work,
/// and a slow model call must never hold up a branch.
/// </summary>
public sealed partial class SessionRunner(IGrainFactory grains, SimulatorCatalog simulators, IHostApplicationLifetime lifetime, ILogger<SessionRunner> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public void Admit(SessionRequest request) => _ = Task.Run(() => RunAsync(request));

    private async Task RunAsync(SessionRequest request)
    {
        var gate = _gates.GetOrAdd(request.Key.Loop, _ => new SemaphoreSlim(request.Simulator.MaxConcurrency));
        SessionResult result;
        await gate.WaitAsync();
        try
        {
            using var activity = MimicryTelemetry.Source.StartActivity("mimicry.session");
            activity?.SetTag("mimicry.session", request.Key.ToString());
            using var simulate = MimicryTelemetry.Source.StartActivity("mimicry.simulator", ActivityKind.Client);
            simulate?.SetTag("mimicry.simulator.kind", request.Simulator.Kind);
            var text = await simulators.Get(request.Simulator.Kind).RunAsync(request, CancellationToken.None);
            result = new SessionResult(request.Key, text, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSessionFailed(request.Key.ToString(), ex.Message);
            result = new SessionResult(request.Key, null, ex.Message);
        }
        finally
        {
            gate.Release();
        }
        MimicryTelemetry.Sessions.Add(1, new KeyValuePair<string, object?>(MimicryTelemetry.LoopTag, request.Key.Loop));
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return; // the silo is going down and so is the branch; the day is re-run on resume
        }
        try
        {
            await grains.GetGrain<IBranchGrain>(GrainKeys.Branch(request.Key.Loop, request.Key.Branch)).OnSessionCompleted(result);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The branch re-dispatches sessions whose results never arrive.
            LogReportFailed(request.Key.ToString(), ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} failed: {Reason}")]
    private partial void LogSessionFailed(string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} could not report to its branch: {Reason}")]
    private partial void LogReportFailed(string session, string reason);
}
