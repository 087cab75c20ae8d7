using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimicry.Spec;
using Mimicry.SpecReading;
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
        states.Set(name, RunState.Running);
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
        states.Set(name, _state);
        LoopLog.Paused(logger, name, reason);
        StopBranchesInBackground();
        Changed();
    }

    Task ILoopGrain.OnBranchAwaitingReview(int branch)
    {
        if (!_finished.ContainsKey(branch))
        {
            _awaiting.Add(branch);
        }
        Changed();
        return Task.CompletedTask;
    }

    Task ILoopGrain.OnReviewDecided(int branch) => RestartDecidedAsync([branch]);

    private async Task RestartDecidedAsync(IReadOnlyList<int> branches)
    {
        foreach (var b in branches)
        {
            _awaiting.Remove(b);
        }
        if (_spec is null || _state != RunState.Running || !options.Value.DriveBranches)
        {
            // Paused or ended (a resume starts every unfinished branch anyway), or a host that drives nothing.
            return;
        }
        var spec = _spec;
        foreach (var chunk in branches.Where(b => !_finished.ContainsKey(b)).Chunk(options.Value.StartFanOut))
        {
            await Task.WhenAll(chunk.Select(b => GrainFactory.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, b)).Start(spec, b)));
        }
    }
}
