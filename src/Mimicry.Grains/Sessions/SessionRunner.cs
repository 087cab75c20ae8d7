using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Grains.Simulators;
using Mimicry.Sessions;
using Mimicry.Telemetry;
using Mimicry.Simulation;

namespace Mimicry.Grains.Sessions;

/// <summary>
/// Runs admitted sessions on this silo, at most <c>simulator.maxConcurrency</c> at once per loop, and reports
/// each result to its branch. Sessions run on the thread pool, not a grain scheduler: they are not grain work,
/// and a slow model call must never hold up a branch. A session that runs past its timeout is abandoned and
/// reported as failed, so every admitted session is reported exactly once unless the report itself is lost.
/// </summary>
public sealed partial class SessionRunner(
    IGrainFactory grains, SimulatorCatalog simulators, MimicryClock clock, IHostApplicationLifetime lifetime, ILogger<SessionRunner> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SessionKey, byte> _inFlight = new();

    public void Admit(SessionRequest request)
    {
        _inFlight[request.Key] = 0;
        _ = Task.Run(() => RunAsync(request));
    }

    /// <summary>
    /// True while this silo holds the session: queued for admission, running, or reporting (until the branch has
    /// acknowledged the report). A branch uses it to tell a slow session (keep waiting) from a lost report (dispatch
    /// again). Sessions run on their branch's silo.
    /// </summary>
    public bool IsInFlight(SessionKey key) => _inFlight.ContainsKey(key);

    private async Task RunAsync(SessionRequest request)
    {
        var loopTag = new KeyValuePair<string, object?>(MimicryTelemetry.LoopTag, request.Key.Loop);
        var gate = _gates.GetOrAdd(request.Key.Loop, _ =>
        {
            MimicryTelemetry.SessionsQueued.Add(0, loopTag); // the loop's series exists (at 0) before anything waits
            return new SemaphoreSlim(request.Simulator.MaxConcurrency);
        });
        var started = clock.Time.GetTimestamp();
        SessionResult result;
        // The session's span covers its wait for a slot too: that wait is part of what a slow day is made of.
        using var activity = Telemetry.TraceContext.Start("mimicry.session");
        activity?.SetTag(MimicryTelemetry.LoopTag, request.Key.Loop);
        activity?.SetTag("mimicry.session", request.Key.ToString());
        if (!gate.Wait(0))
        {
            // Counted only when it waits: most sessions find a slot at once.
            MimicryTelemetry.SessionsQueued.Add(1, loopTag);
            await gate.WaitAsync();
            MimicryTelemetry.SessionsQueued.Add(-1, loopTag);
        }
        MimicryTelemetry.SessionsActive.Add(1, loopTag);
        try
        {
            using var simulate = MimicryTelemetry.Source.StartActivity("mimicry.simulator", ActivityKind.Client);
            simulate?.SetTag("mimicry.simulator.kind", request.Simulator.Kind);
            var limit = SessionTimeouts.Run(request.Simulator);
            using var abandon = new CancellationTokenSource();
            try
            {
                // WaitAsync also frees us from a simulator that ignores its token.
                var output = await simulators.Get(request.Simulator.Kind).RunAsync(request, abandon.Token).WaitAsync(limit, clock.Time);
                result = new SessionResult(request.Key, output.Text, null, output.InputTokens, output.OutputTokens, output.CachedInputTokens);
            }
            catch (TimeoutException)
            {
                await abandon.CancelAsync();
                var timedOut = new TimeoutException($"the session ran longer than {limit.TotalSeconds:0} s and was abandoned");
                MimicryTelemetry.Fail(simulate, timedOut);
                throw timedOut;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                MimicryTelemetry.Fail(simulate, ex);
                throw;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSessionFailed(request.Key.ToString(), ex.Message);
            MimicryTelemetry.Fail(activity, ex);
            // Tokens the server billed for attempts that failed are still the day's to pay.
            var (input, output) = ex is IBilledFailure billed ? (billed.InputTokens, billed.OutputTokens) : (0, 0);
            result = new SessionResult(request.Key, null, ex.Message, input, output);
        }
        finally
        {
            MimicryTelemetry.SessionsActive.Add(-1, loopTag);
            gate.Release();
        }
        var outcome = new KeyValuePair<string, object?>(MimicryTelemetry.OutcomeTag, result.Error is null ? "ok" : "failed");
        var kind = new KeyValuePair<string, object?>("mimicry.simulator.kind", request.Simulator.Kind);
        MimicryTelemetry.Sessions.Add(1, loopTag, kind, outcome);
        MimicryTelemetry.SessionDuration.Record(clock.Time.GetElapsedTime(started).TotalSeconds, loopTag, kind, outcome);
        try
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return; // the silo is going down and so is the branch; the day is re-run on resume
            }
            await grains.GetGrain<IBranchGrain>(GrainKeys.Branch(request.Key.Loop, request.Key.Branch)).OnSessionCompleted(result);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The branch finds the session no longer in flight and dispatches it again.
            LogReportFailed(request.Key.ToString(), ex.Message);
        }
        finally
        {
            _inFlight.TryRemove(request.Key, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} failed: {Reason}")]
    private partial void LogSessionFailed(string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {Session} could not report to its branch: {Reason}")]
    private partial void LogReportFailed(string session, string reason);
}
