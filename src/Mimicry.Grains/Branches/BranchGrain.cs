using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mimicry.Anchors;
using Mimicry.Determinism;
using Mimicry.Selection;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Synthetic;
using Mimicry.Telemetry;
using Mimicry.Text;

namespace Mimicry.Grains.Branches;

/// <summary>
/// Drives one timeline. <see cref="IBranchGrain.Start"/> begins a background loop on this activation (it is not
/// awaited by the caller): each day it dispatches <c>width</c> sessions, waits for their reports, selects, commits
/// the day to the notebook store, and only then starts the next day. Everything needed to resume is in the store.
/// </summary>
public sealed class BranchGrain(INotebookStore store, TimeProvider time, ILogger<BranchGrain> logger) : Grain, IBranchGrain, IDisposable
{
    /// <summary>How long past the simulated latency a day waits for missing session reports before re-dispatching them.</summary>
    private static readonly TimeSpan ReportGrace = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _deactivating = new();
    private Task? _driver;
    private PendingDay? _pending;

    Task IBranchGrain.Start(LoopSpec spec, int branch)
    {
        if (_driver is null || _driver.IsCompleted)
        {
            _driver = DriveAsync(spec, branch, _deactivating.Token);
        }
        return Task.CompletedTask;
    }

    Task IBranchGrain.OnSessionCompleted(SessionResult result)
    {
        _pending?.Accept(result);
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
        await Task.Yield(); // let Start return before any work
        var key = GrainKeys.Branch(spec.Name, branch);
        try
        {
            var notebook = new BranchNotebook();
            foreach (var day in await store.ReadDaysAsync(spec.Name, branch))
            {
                notebook.Add(day);
            }
            var (state, reason) = await RunDaysAsync(spec, branch, notebook, stop);
            if (stop.IsCancellationRequested)
            {
                return; // shutting down: the next Start resumes from the store
            }
            await FinishAsync(spec, branch, key, state, reason);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            BranchLog.Failed(logger, ex, key);
            await FinishAsync(spec, branch, key, RunState.Failed, ex.Message);
        }
    }

    private async Task<(RunState, string)> RunDaysAsync(LoopSpec spec, int branch, BranchNotebook notebook, CancellationToken stop)
    {
        var budget = BranchBudget.For(spec);
        var knownCost = BranchBudget.KnownDayCost(spec.Selection);
        for (var day = notebook.DaysDone + 1; day <= spec.Days; day++)
        {
            if (stop.IsCancellationRequested)
            {
                return (RunState.Running, "interrupted");
            }
            if (IsSolved(spec, notebook))
            {
                return (RunState.Completed, $"solved after {notebook.DaysDone} days");
            }
            if (budget.RefuseDay(notebook.SessionsUsed, spec.Width, notebook.BitsSpent, knownCost) is { } refusal)
            {
                return (RunState.Stopped, refusal);
            }

            // One trace per day: its root is this branch-day; sessions, simulator calls and the append hang below it.
            Activity.Current = null;
            using var activity = MimicryTelemetry.Source.StartActivity("mimicry.day");
            activity?.SetTag("mimicry.loop", spec.Name);
            activity?.SetTag("mimicry.branch", branch);
            activity?.SetTag("mimicry.day", day);

            var anchor = AnchorClock.For(spec.Anchor, day, time.GetUtcNow());
            var pending = await RunSessionsAsync(spec, branch, day, anchor, notebook, stop);
            var outcome = Selector.Select(
                spec.Selection,
                pending.Candidates(),
                text => SyntheticCritic.Score(text, notebook.Claims),
                text => SyntheticCritic.IsValid(text, notebook.Claims));
            if (outcome.Seen == 0)
            {
                throw new InvalidOperationException($"every session of day {day} failed: {pending.FirstError()}");
            }
            if (budget.RefuseSelection(notebook.BitsSpent, outcome.Bits) is { } over)
            {
                return (RunState.Stopped, over);
            }
            var record = BuildDay(spec, branch, day, anchor, pending, outcome);
            using (MimicryTelemetry.Source.StartActivity("mimicry.append"))
            {
                await store.AppendDayAsync(record);
            }
            notebook.Add(record);
            MimicryTelemetry.Days.Add(1);
            MimicryTelemetry.Bits.Add(outcome.Bits);
        }
        return IsSolved(spec, notebook)
            ? (RunState.Completed, $"solved after {notebook.DaysDone} days")
            : (RunState.Completed, $"all {spec.Days} days done");
    }

    private async Task<PendingDay> RunSessionsAsync(LoopSpec spec, int branch, int day, DateTimeOffset anchor, BranchNotebook notebook, CancellationToken stop)
    {
        var pending = _pending = new PendingDay(day, spec.Width);
        var worker = GrainFactory.GetGrain<ISessionGrain>(0);
        var snapshot = notebook.Snapshot;
        var slots = Enumerable.Range(0, spec.Width).ToList();
        for (var attempt = 0; ; attempt++)
        {
            await Task.WhenAll(slots.Select(slot => worker.Begin(
                new SessionRequest(new SessionKey(spec.Name, branch, day, slot), anchor, spec.Researcher, spec.Question, snapshot, spec.Seed, spec.Simulator))));
            var deadline = spec.Simulator.Latency * 4 + ReportGrace;
            try
            {
                await pending.Completion.Task.WaitAsync(deadline, time, stop);
                return pending;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                slots = pending.MissingSlots().ToList();
                BranchLog.Redispatch(logger, GrainKeys.Branch(spec.Name, branch), day, slots.Count);
            }
        }
    }

    private static DayRecord BuildDay(LoopSpec spec, int branch, int day, DateTimeOffset anchor, PendingDay pending, SelectionOutcome outcome)
    {
        var candidates = pending.Candidates();
        var entries = outcome.Chosen.Select((slot, seq) =>
        {
            var text = candidates[slot].Text!;
            var session = new SessionKey(spec.Name, branch, day, slot).ToString();
            return new EntryRecord(seq, slot, session, Seeds.ForSession(spec.Seed, branch, day, slot), spec.Simulator.Kind, text, ContentHash.Of(text));
        }).ToArray();
        return new DayRecord(spec.Name, branch, day, anchor, spec.Selection.ToString(), outcome.Seen, spec.Width, outcome.Bits, entries);
    }

    private static bool IsSolved(LoopSpec spec, BranchNotebook notebook) =>
        spec.Simulator.Kind == "synthetic" && notebook.Claims.ProvenPrefix >= spec.Simulator.Synthetic.Lemmas;

    private async Task FinishAsync(LoopSpec spec, int branch, string key, RunState state, string reason)
    {
        _pending = null;
        BranchLog.Finished(logger, key, state, reason);
        await store.SetBranchStateAsync(new BranchRecord(spec.Name, branch, state, reason));
        await GrainFactory.GetGrain<ILoopGrain>(spec.Name).OnBranchFinished(branch, state, reason);
    }
}
