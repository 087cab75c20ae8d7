using Mimicry.Spec;
using Mimicry.Status;

namespace Mimicry.Grains;

/// <summary>A submitted loop, keyed by its name. Starts its branches and learns when each one finishes.</summary>
[Alias("mimicry.ILoopGrain")]
public interface ILoopGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the loop, or resumes it if it was interrupted. Returns at once: branches run in the background.
    /// Fails with <see cref="ArgumentException"/> when a loop of this name exists with a different spec.
    /// </summary>
    [Alias("Start")]
    Task<LoopStatus> Start(LoopSpec spec);

    /// <summary>The loop's state and progress.</summary>
    [Alias("GetStatus")]
    Task<LoopStatus> GetStatus();

    /// <summary>A branch tells its loop that it has finished (completed or stopped). Idempotent.</summary>
    [Alias("OnBranchFinished")]
    Task OnBranchFinished(int branch, RunState state, string? reason);
}
