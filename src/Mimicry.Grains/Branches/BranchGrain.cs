using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Anchors;
using Mimicry.Grains.Sessions;
using Mimicry.Selection;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Telemetry;
using Mimicry.Simulation;

namespace Mimicry.Grains.Branches;

/// <summary>
/// Drives one timeline. <see cref="IBranchGrain.Start"/> begins a background loop on this activation (it is not
/// awaited by the caller): each day it dispatches <c>width</c> sessions, waits for their reports, selects, commits
/// the day to the notebook store, and only then starts the next day. Everything needed to resume is in the store.
/// </summary>
public sealed partial class BranchGrain(
    INotebookStore store, SessionRunner runner, MimicryClock clock, IHostApplicationLifetime lifetime, Calibration.CalibrationService calibration,
    Mimicry.Probes.IProbeScorer scorer, Loops.LoopStates loops, Mimicry.Simulation.ICandidateCritic critic, Mimicry.Simulation.INotebookDigests digests, ILogger<BranchGrain> logger)
    : Grain, IBranchGrain, IDisposable
{
    /// <summary>How many times a day's sessions are dispatched before the branch gives up on missing results.</summary>
    private const int MaxDispatches = 4;

    /// <summary>How many times the driver starts over from the store after an unexpected error before the branch fails.</summary>
    private const int MaxDriveAttempts = 3;

    private readonly CancellationTokenSource _deactivating = new();
    private Task? _driver;
    private ActivityContext _startedBy;
    private PendingDay? _pending;
    private string? _specHash;

    /// <summary>Results for a day this activation has not begun: sessions an earlier activation of the branch began.</summary>
    private readonly Dictionary<SessionKey, SessionResult> _early = [];

    /// <summary>Paid for and not yet in any day's record (a result that came twice, or after its day was kept): the next day kept pays.</summary>
    private DaySpend _unbilled;

    /// <summary>Bounds <see cref="_early"/>: one day's widest possible worth and more is never legitimately waiting.</summary>
    private const int MaxEarlyResults = 20_000;

    async Task IBranchGrain.Start(LoopSpec spec, int branch)
    {
        // Only the loop's own stored spec may drive this branch: anything inside the cluster can call Start.
        if (spec is null || GrainKeys.Branch(spec.Name, branch) != this.GetPrimaryKeyString() || branch < 0 || branch >= spec.Branches)
        {
            throw new ArgumentException($"branch {this.GetPrimaryKeyString()}: the spec and branch number do not name this branch");
        }
        var hash = SpecJson.Hash(spec);
        if (_specHash != hash)
        {
            var stored = await store.GetLoopAsync(spec.Name);
            if (stored is null || stored.SpecHash != hash)
            {
                throw new ArgumentException($"branch {this.GetPrimaryKeyString()}: the spec is not the one stored for loop '{spec.Name}'");
            }
            _specHash = hash;
        }
        if (_driver is null || _driver.IsCompleted)
        {
            // A resumed loop may have been paused a moment ago as this silo last saw it: look again.
            loops.Forget(spec.Name);
            // Each day's span is a child of this call's (the loop's start fanned out to here).
            _startedBy = Telemetry.TraceContext.Parent;
            _driver = DriveAsync(spec, branch, _deactivating.Token);
        }
    }

    Task IBranchGrain.OnSessionCompleted(SessionResult result)
    {
        if (_pending is { } pending && result.Key.Day <= pending.Day)
        {
            if (!pending.Accept(result))
            {
                _unbilled += DaySpend.TokensOf(result); // a duplicate, or late for a day already decided
            }
        }
        else if (_early.Count < MaxEarlyResults)
        {
            // This activation has not begun the result's day (it may have just been activated, by this very call):
            // keep it for when it does, rather than paying for the session again.
            _early[result.Key] = result;
        }
        else
        {
            _unbilled += DaySpend.TokensOf(result);
        }
        return Task.CompletedTask;
    }

    Task IBranchGrain.Stop()
    {
        _deactivating.Cancel();
        _pending = null;
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose() => _deactivating.Dispose();

    private async Task DriveAsync(LoopSpec spec, int branch, CancellationToken stop)
    {
        try
        {
            await DriveDaysAsync(spec, branch, stop);
        }
        finally
        {
            DelayDeactivation(TimeSpan.Zero); // each day kept the activation; a branch that is not driving may be collected
        }
    }

    private async Task DriveDaysAsync(LoopSpec spec, int branch, CancellationToken stop)
    {
        await Task.Yield(); // let Start return before any work
        var key = GrainKeys.Branch(spec.Name, branch);
        for (var attempt = 1; ; attempt++)
        {
            Exception? error;
            try
            {
                var end = await RunDaysAsync(spec, branch, stop);
                if (end.State == RunState.Paused)
                {
                    // Held for review: not finished. The loop leaves this branch alone until a reviewer decides.
                    _pending = null;
                    BranchLog.Held(logger, key, end.Reason);
                    await GrainFactory.GetGrain<ILoopGrain>(spec.Name).OnBranchAwaitingReview(branch);
                    return;
                }
                await FinishAsync(spec, branch, key, end.State, end.Reason);
                return;
            }
            catch (LoopNotRunningException)
            {
                // Nothing is written: a resume of a paused loop starts the branch again from the store.
                _pending = null;
                BranchLog.LoopNotRunning(logger, key);
                this.DeactivateOnIdle();
                return;
            }
            catch (Exception) when (ShuttingDown(stop))
            {
                // The silo is stopping (Ctrl-C, deactivation): calls and writes fail as it goes down. That is
                // not the branch failing; nothing half-done was written, and the next Start resumes.
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                error = ex;
            }
            if (attempt >= MaxDriveAttempts)
            {
                BranchLog.Failed(logger, error, key);
                await FinishAsync(spec, branch, key, RunState.Failed, error.Message);
                return;
            }
            BranchLog.Retrying(logger, key, attempt, error.Message);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt), clock.Time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private bool ShuttingDown(CancellationToken stop) => stop.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>The store is the truth: a branch (re)starts from what it holds.</summary>
    private Task<BranchNotebook> LoadNotebookAsync(LoopSpec spec, int branch) => NotebookLineage.LoadAsync(store, spec, branch);

    private async Task<BranchEnd> RunDaysAsync(LoopSpec spec, int branch, CancellationToken stop)
    {
        var budget = BranchBudget.For(spec);
        var notebook = await LoadNotebookAsync(spec, branch);
        var (heldEnd, notebookAfterReview, reroll, rejected) = await ResumeFromReviewAsync(spec, branch, budget, notebook);
        if (heldEnd is { } waiting)
        {
            return waiting;
        }
        notebook = notebookAfterReview;
        while (true)
        {
            if (DayLogic.BeforeDay(spec, notebook, budget) is { } end)
            {
                return end;
            }
            if (!await loops.RunningAsync(spec.Name))
            {
                // Cancelled or paused: stop before the next day, as Stop() would, whether or not its call arrived.
                throw new LoopNotRunningException();
            }
            stop.ThrowIfCancellationRequested();
            lifetime.ApplicationStopping.ThrowIfCancellationRequested();
            var day = notebook.DaysDone + 1;

            // Every day hangs below what started the branch (the loop's start, under the API request that asked for
            // it), so one trace runs request → loop → branch → day → session → simulator → append.
            Activity.Current = null;
            using var activity = MimicryTelemetry.Source.StartActivity("mimicry.day", ActivityKind.Internal, _startedBy);
            var dayStarted = clock.Time.GetTimestamp();
            activity?.SetTag(MimicryTelemetry.LoopTag, spec.Name);
            activity?.SetTag("mimicry.branch", branch);
            activity?.SetTag("mimicry.day.number", day);

            var anchor = AnchorClock.For(spec.Anchor, day, clock.Time.GetUtcNow());
            var digest = await DigestDueAsync(spec, branch, day, anchor, notebook, reroll, stop);
            if (digest)
            {
                activity?.SetTag("mimicry.day.digest", true); // only on digest days: an ordinary day's span stays as it was
            }
            var pending = await RunSessionsAsync(spec, branch, day, anchor, notebook, reroll, digest, stop);
            if (spec.Calibration is not null && !digest)
            {
                // A sampled day becomes a probe (slot 0's situation and answer); a drift alarm pauses the loop.
                var drift = await calibration.OnDayAsync(spec, DayLogic.Request(spec, branch, day, 0, anchor, notebook), pending.Candidates()[0].Text);
                if (drift is { Alarm: true })
                {
                    await GrainFactory.GetGrain<ILoopGrain>(spec.Name).Pause(Calibration.CalibrationService.PauseReason(drift, spec.Calibration.Drift));
                    // This day is what drifted: it does not go into the notebook; a person looks first.
                    throw new LoopNotRunningException();
                }
            }
            var candidates = pending.Candidates();
            // Re-dispatches and results that came twice were paid for: this day's record carries them.
            rejected += new DaySpend(pending.ExtraSessions, 0, 0) + _unbilled.AtSimulatorPrices(spec);
            _unbilled = default;
            var asked = digest ? default : await AskSelectionModelsAsync(spec, branch, day, anchor, candidates, notebook, reroll, activity, stop);
            if (asked.End is { } failed)
            {
                return failed;
            }
            rejected += asked.Spend;
            var tripwireJudge = digest ? default : await AskTripwireJudgeAsync(spec, branch, day, anchor, candidates, notebook, reroll, activity, stop);
            if (tripwireJudge.End is { } judgeFailed)
            {
                return judgeFailed;
            }
            if (tripwireJudge.Verdict is { } tripwireVerdict)
            {
                rejected += DaySpend.Of(tripwireVerdict);
            }
            var (verdict, judged) = (asked.Verdict, asked.Judged);
            var decision = digest
                ? DayLogic.DecideDigest(spec, branch, day, anchor, candidates, notebook, budget, reroll, rejected)
                : DayLogic.Decide(spec, branch, day, anchor, candidates, notebook, budget, reroll, rejected, verdict, judged);
            if (decision.End is { } stopNow)
            {
                if (stopNow.State == RunState.Failed)
                {
                    MimicryTelemetry.Fail(activity, stopNow.Reason);
                    return stopNow with { Reason = $"{stopNow.Reason}: {pending.FirstError()}" };
                }
                return stopNow;
            }
            var snapshot = notebook.Snapshot;
            var screened = DayScreening.NeedsModel(spec)
                ? await Task.Run(() => DayScreening.Screen(spec, anchor, candidates, snapshot, scorer.Similarity), stop)
                : DayScreening.Screen(spec, anchor, candidates, snapshot, null);
            if (tripwireJudge.Verdict is { } judgedByModel)
            {
                screened = DayScreening.WithModelJudge(screened, judgedByModel);
            }
            CountTripwires(spec.Name, screened);
            if (DayScreening.Reasons(spec, day, screened, decision.Shortlist) is { Count: > 0 } reasons)
            {
                return await HoldAsync(spec, DayScreening.Hold(spec, decision.Day!, reroll, screened, reasons, clock.Time.GetUtcNow(), rejected, decision.Shortlist));
            }
            (reroll, rejected) = (0, default);
            notebook = await CommitAsync(spec, branch, decision.Day!, notebook);
            MimicryTelemetry.DayDuration.Record(clock.Time.GetElapsedTime(dayStarted).TotalSeconds, new KeyValuePair<string, object?>(MimicryTelemetry.LoopTag, spec.Name));
        }
    }

    private async Task FinishAsync(LoopSpec spec, int branch, string key, RunState state, string reason)
    {
        _pending = null;
        BranchLog.Finished(logger, key, state, reason);
        await store.SetBranchStateAsync(new BranchRecord(spec.Name, branch, state, reason));
        await GrainFactory.GetGrain<ILoopGrain>(spec.Name).OnBranchFinished(branch, state, reason);
    }
}

/// <summary>The branch's loop was cancelled or paused: the driver stops before its next day.</summary>
internal sealed class LoopNotRunningException : Exception;
