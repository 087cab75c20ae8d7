using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Grains.Branches;
using Mimicry.Storage;
using Mimicry.Simulation;

namespace Mimicry.Grains.Loops;

/// <summary>
/// A loop: keeps its spec and state in the store, starts its branches (a bounded number of calls at a time, in the
/// background) and learns once from each branch when it finishes. Progress comes from the store, not from
/// per-day reports, so the loop is never on the hot path.
/// </summary>
public sealed partial class LoopGrain(INotebookStore store, MimicryClock clock, IOptions<LoopOptions> options, LoopStates states, ILogger<LoopGrain> logger) : Grain, ILoopGrain
{
    /// <summary>How many times a branch's Start is tried before the loop leaves it to the next watch.</summary>
    private const int MaxStartAttempts = 8;

    private LoopSpec? _spec;
    private RunState _state = RunState.Running;
    private string? _reason;
    private readonly Dictionary<int, (RunState State, string? Reason)> _finished = [];
    private Task? _starting;
    private IGrainTimer? _watch;
    private IReadOnlyDictionary<int, int>? _lastLook;
    private readonly HashSet<string> _recovered = new(StringComparer.Ordinal);

    /// <summary>Branches whose next day waits for a reviewer: the watch leaves them alone.</summary>
    private readonly HashSet<int> _awaiting = [];

    /// <summary>Completed (and replaced) whenever the loop changes course: what <see cref="ILoopGrain.WaitForChange"/> waits on.</summary>
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A fork's shared days and their bits, for its status.</summary>
    private (int Days, double Bits)? _inherited;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var record = await store.GetLoopAsync(this.GetPrimaryKeyString());
        if (record is not null)
        {
            await LoadAsync(record);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Mimicry.Telemetry.MimicryGauges.ForgetLoop(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    async Task<LoopStatus> ILoopGrain.Start(LoopSpec spec)
    {
        // Anything inside the cluster can call this: check the spec as the reader would, and that it is this grain's.
        ArgumentNullException.ThrowIfNull(spec);
        if (LoopSpecRules.Problems(spec, options.Value.InlineBackends) is { Count: > 0 } problems)
        {
            throw new ArgumentException($"spec refused: {string.Join("; ", problems)}");
        }
        if (spec.Name != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"spec refused: name: '{spec.Name}' is not this loop ('{this.GetPrimaryKeyString()}')");
        }
        var hash = SpecJson.Hash(spec);
        var record = await store.GetLoopAsync(spec.Name);
        if (record is null)
        {
            record = await store.CreateLoopAsync(new LoopRecord(spec.Name, SpecJson.Serialize(spec), hash, RunState.Running, null, clock.Time.GetUtcNow(), clock.Time.GetUtcNow()));
            if (spec.Fork is { Bits: > 0 } fork)
            {
                // Forking is selection too (another timeline to choose among): counted once, when the fork is created.
                Mimicry.Telemetry.MimicryTelemetry.Bits.Add(fork.Bits, new KeyValuePair<string, object?>(Mimicry.Telemetry.MimicryTelemetry.LoopTag, spec.Name));
            }
        }
        if (record.SpecHash != hash)
        {
            throw new ArgumentException($"a loop named '{spec.Name}' already exists in {store.Location} with a different spec; give the changed spec a new name", nameof(spec));
        }
        if (_spec is null)
        {
            await LoadAsync(record);
        }
        if (_state == RunState.Running)
        {
            if (_finished.Count >= spec.Branches)
            {
                await FinalizeAsync();
            }
            else if (_starting is null || _starting.IsCompleted)
            {
                BeginBranches(spec);
            }
        }
        return await GetStatusAsync();
    }

    private void BeginBranches(LoopSpec spec)
    {
        if (!options.Value.DriveBranches)
        {
            return;
        }
        _starting = StartBranchesAsync(spec);
        _watch ??= this.RegisterGrainTimer(WatchBranchesAsync, new GrainTimerCreationOptions(options.Value.WatchPeriod, options.Value.WatchPeriod) { KeepAlive = true });
    }

    async Task ILoopGrain.Resume()
    {
        if (_spec is null || _state != RunState.Running)
        {
            return;
        }
        if (_finished.Count >= _spec.Branches)
        {
            await FinalizeAsync();
        }
        else if (_starting is null)
        {
            // First call in this activation: the branches may all be gone (a full restart), so start them.
            BeginBranches(_spec);
        }
    }

    Task ILoopGrain.Recover(string deadSilo)
    {
        if (_spec is not null && _state == RunState.Running && _recovered.Add(deadSilo))
        {
            var name = this.GetPrimaryKeyString();
            LoopLog.Recovering(logger, name, deadSilo);
            if (_starting is null || _starting.IsCompleted)
            {
                BeginBranches(_spec);
            }
            else
            {
                // A start is under way; chain another pass so the branches of the dead silo are reached too.
                var previous = _starting;
                var spec = _spec;
                _starting = previous.ContinueWith(_ => StartBranchesAsync(spec), TaskScheduler.Current).Unwrap();
            }
        }
        return Task.CompletedTask;
    }

    Task<LoopStatus> ILoopGrain.GetStatus() => GetStatusAsync();

    async Task ILoopGrain.WaitForChange(TimeSpan max)
    {
        try
        {
            await _changed.Task.WaitAsync(TimeSpan.FromMilliseconds(Math.Clamp(max.TotalMilliseconds, 0, 30_000)), clock.Time);
        }
        catch (TimeoutException)
        {
            // Nothing changed course: the caller polls as before.
        }
    }

    /// <summary>Wakes every <see cref="ILoopGrain.WaitForChange"/> waiting now.</summary>
    private void Changed() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    async Task ILoopGrain.OnBranchFinished(int branch, RunState state, string? reason)
    {
        // As in the store: ends never go backwards, so a late notice from a stale activation cannot undo Completed.
        if (!_finished.TryGetValue(branch, out var recorded) || (state == RunState.Completed && recorded.State != RunState.Completed))
        {
            _finished[branch] = (state, reason);
        }
        _awaiting.Remove(branch);
        if (_spec is not null && _state == RunState.Running && _finished.Count >= _spec.Branches)
        {
            await FinalizeAsync();
        }
        Changed();
    }

    private async Task LoadAsync(LoopRecord record)
    {
        _spec = SpecJson.Deserialize(record.SpecJson);
        if (_spec.Budgets.MaxBits > 0)
        {
            Mimicry.Telemetry.MimicryGauges.SetBudget(_spec.Name, _spec.Budgets.MaxBits);
        }
        _state = record.State;
        _reason = record.Reason;
        foreach (var b in await store.ListFinishedBranchesAsync(record.Loop))
        {
            _finished[b.Branch] = (b.State, b.Reason);
        }
        foreach (var r in await store.ListReviewsAsync(record.Loop, pendingOnly: true))
        {
            _awaiting.Add(r.Branch);
        }
    }

    /// <summary>
    /// Starts the given branches, a bounded number of calls at a time. A call that fails (right after a silo died,
    /// the directory may still name it) is retried with backoff: one failed call must not leave the branches after
    /// it unstarted until the next watch.
    /// </summary>
    private async Task StartBranchesAsync(LoopSpec spec, Func<int, bool>? only = null)
    {
        await Task.Yield();
        // The fan-out's span is the parent of every branch's days (BranchGrain keeps the context its Start came with).
        using var activity = Telemetry.TraceContext.Start("mimicry.loop.start");
        activity?.SetTag(Mimicry.Telemetry.MimicryTelemetry.LoopTag, spec.Name);
        var pending = Enumerable.Range(0, spec.Branches).Where(b => !_finished.ContainsKey(b) && (only is null || only(b))).ToList();
        var started = pending.Count;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var failed = new List<int>();
            foreach (var chunk in pending.Chunk(options.Value.StartFanOut))
            {
                if (_state != RunState.Running)
                {
                    // Cancelled while starting: the branches not reached yet stay unstarted.
                    return;
                }
                var calls = chunk.Select(b => (Branch: b, Call: GrainFactory.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, b)).Start(spec, b))).ToList();
                try
                {
                    await Task.WhenAll(calls.Select(c => c.Call));
                }
                catch (Exception) when (_state == RunState.Running)
                {
                    failed.AddRange(calls.Where(c => !c.Call.IsCompletedSuccessfully).Select(c => c.Branch));
                }
            }
            if (failed.Count == 0 || _state != RunState.Running || attempt == MaxStartAttempts)
            {
                if (failed.Count > 0)
                {
                    LoopLog.StartFailed(logger, spec.Name, failed.Count, MaxStartAttempts);
                }
                break;
            }
            pending = failed;
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), clock.Time);
        }
        if (started > 0)
        {
            LoopLog.BranchesStarted(logger, spec.Name, started);
        }
    }

    /// <summary>
    /// Pokes only the unfinished branches that committed nothing since the last look, so a loop of a million
    /// branches that are all making progress costs one read of the totals, not a million calls.
    /// </summary>
    private async Task WatchBranchesAsync(CancellationToken cancellationToken)
    {
        if (_spec is null || _state != RunState.Running || (_starting is not null && !_starting.IsCompleted))
        {
            return;
        }
        var now = await store.GetDaysPerBranchAsync(_spec.Name);
        var before = _lastLook;
        _lastLook = now;
        if (before is not null)
        {
            _starting = StartBranchesAsync(_spec, b => !_awaiting.Contains(b) && now.GetValueOrDefault(b) == before.GetValueOrDefault(b));
        }
    }

    private async Task FinalizeAsync()
    {
        _watch?.Dispose();
        _watch = null;
        var outcomes = _finished.Values.ToList();
        (_state, _reason) = LoopOutcome.Summarize(outcomes);
        var name = this.GetPrimaryKeyString();
        await store.SetLoopStateAsync(name, _state, _reason);
        LoopLog.Finished(logger, name, _state, _reason);
        Changed();
    }

    private async Task<LoopStatus> GetStatusAsync()
    {
        var name = this.GetPrimaryKeyString();
        if (_spec is null)
        {
            throw new KeyNotFoundException($"no loop named '{name}' in {store.Location}");
        }
        var p = await store.GetProgressAsync(name, _spec.Branches);
        _inherited ??= await NotebookLineage.InheritedTotalsAsync(store, _spec); // immutable: read once per activation
        p = NotebookLineage.WithInherited(p, _inherited.Value);
        return new LoopStatus(name, _state, _reason, _spec.Branches, _finished.Count, _spec.Days, p.DaysDone, p.Sessions, p.Entries, p.Bits, p.MinDaysDone, p.MaxDaysDone,
            p.InputTokens, p.OutputTokens, p.Cost, _awaiting.Count, _watch is not null, p.CachedInputTokens);
    }
}
