using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimicry.Spec;
using Mimicry.Specs;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Grains.Loops;

/// <summary>
/// A loop paused for a person (the drift test fired) and resumed after their review; branches held for review
/// (a gate or a tripwire) and restarted when a reviewer decides.
/// </summary>
public sealed partial class LoopGrain
{
    async Task<LoopStatus> ILoopGrain.Pause(string reason)
    {
        await PauseAsync(reason);
        return await GetStatusAsync();
    }

    async Task<LoopStatus> ILoopGrain.ResumeAfterReview(string by)
    {
        var name = this.GetPrimaryKeyString();
        var record = await store.GetLoopAsync(name);
        if (_spec is null || record is null)
        {
            throw new KeyNotFoundException($"no loop named '{name}' in {store.Location}");
        }
        if (record.State != RunState.Paused && _state != RunState.Paused)
        {
            throw new InvalidOperationException($"loop '{name}' is {record.State.ToString().ToLowerInvariant()}, not paused");
        }
        await store.AcknowledgeProbesAsync(name);
        (_state, _reason) = (RunState.Running, null);
        await store.SetLoopStateAsync(name, RunState.Running, null);
        LoopLog.Resumed(logger, name, by);
        _starting = null;
        if (_finished.Count >= _spec.Branches)
        {
            await FinalizeAsync();
        }
        else
        {
            BeginBranches(_spec);
        }
        return await GetStatusAsync();
    }

    private async Task PauseAsync(string reason)
    {
        if (_spec is null || _state != RunState.Running)
        {
            return;
        }
        var name = this.GetPrimaryKeyString();
        _watch?.Dispose();
        _watch = null;
        (_state, _reason) = (RunState.Paused, reason);
        await store.SetLoopStateAsync(name, _state, _reason);
        LoopLog.Paused(logger, name, reason);
        var spec = _spec;
        foreach (var chunk in Enumerable.Range(0, spec.Branches).Where(b => !_finished.ContainsKey(b)).Chunk(options.Value.StartFanOut))
        {
            await Task.WhenAll(chunk.Select(b => GrainFactory.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, b)).Stop()));
        }
    }

    Task ILoopGrain.OnBranchAwaitingReview(int branch)
    {
        if (!_finished.ContainsKey(branch))
        {
            _awaiting.Add(branch);
        }
        return Task.CompletedTask;
    }

    Task ILoopGrain.OnReviewDecided(int branch) => RestartDecidedAsync([branch]);

    /// <summary>
    /// Finds held branches whose review a person decided without telling this activation (the CLI on the embedded
    /// store, a lost notice) and restarts them. One query, and only while some branch waits.
    /// </summary>
    private async Task ReleaseDecidedAsync()
    {
        if (_awaiting.Count == 0 || _spec is null)
        {
            return;
        }
        var stillPending = (await store.ListReviewsAsync(_spec.Name, pendingOnly: true)).Select(r => r.Branch).ToHashSet();
        await RestartDecidedAsync(_awaiting.Where(b => !stillPending.Contains(b)).ToList());
    }

    private async Task RestartDecidedAsync(IReadOnlyList<int> branches)
    {
        foreach (var b in branches)
        {
            _awaiting.Remove(b);
        }
        if (_spec is null || _state != RunState.Running)
        {
            // Paused or ended: a resume starts every unfinished branch anyway.
            return;
        }
        var spec = _spec;
        foreach (var chunk in branches.Where(b => !_finished.ContainsKey(b)).Chunk(options.Value.StartFanOut))
        {
            await Task.WhenAll(chunk.Select(b => GrainFactory.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, b)).Start(spec, b)));
        }
    }
}
