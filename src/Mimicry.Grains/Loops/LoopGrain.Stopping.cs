using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Grains.Branches;
using Mimicry.Storage;

namespace Mimicry.Grains.Loops;

/// <summary>
/// A loop cancelled for good: the state is stored at once (every branch reads it before its next day), and the
/// branches' stops follow after the turn, tried again on every cancel.
/// </summary>
public sealed partial class LoopGrain
{
    async Task<LoopStatus> ILoopGrain.Cancel(string reason)
    {
        var name = this.GetPrimaryKeyString();
        if (_spec is null)
        {
            throw new KeyNotFoundException($"no loop named '{name}' in {store.Location}");
        }
        if (_state is RunState.Running or RunState.Paused)
        {
            _watch?.Dispose();
            _watch = null;
            (_state, _reason) = (RunState.Stopped, reason);
            await store.SetLoopStateAsync(name, _state, _reason);
            states.Set(name, _state);
            LoopLog.Finished(logger, name, _state, _reason);
        }
        if (_state == RunState.Stopped)
        {
            // Every branch checks the loop's state before its next day; the stops only save the rest of a day.
            // In the background, not in this turn, and again on every cancel: a fan-out that failed part-way is
            // simply tried again.
            StopBranchesInBackground();
        }
        Changed();
        return await GetStatusAsync();
    }

    /// <summary>Stops the unfinished branches a bounded number at a time, after this turn; failures are logged, not fatal.</summary>
    private void StopBranchesInBackground()
    {
        var spec = _spec!;
        var unfinished = Enumerable.Range(0, spec.Branches).Where(b => !_finished.ContainsKey(b)).ToList();
        _ = StopBranchesAsync(spec, unfinished); // its failures are caught and logged inside
    }

    private async Task StopBranchesAsync(LoopSpec spec, List<int> branches)
    {
        await Task.Yield();
        var failed = 0;
        foreach (var chunk in branches.Chunk(options.Value.StartFanOut))
        {
            try
            {
                await Task.WhenAll(chunk.Select(b => GrainFactory.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, b)).Stop()));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failed += chunk.Length;
            }
        }
        if (failed > 0)
        {
            LoopLog.StopFailed(logger, spec.Name, failed);
        }
    }
}
