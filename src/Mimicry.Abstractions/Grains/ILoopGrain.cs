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

    /// <summary>
    /// Resumes a stored loop that is still running (after a restart of the whole cluster, or a lost activation):
    /// starts its unfinished branches once per activation. A no-op for a finished loop. Idempotent.
    /// </summary>
    [Alias("Resume")]
    Task Resume();

    /// <summary>
    /// A silo died: re-start the unfinished branches (those that lived there come back elsewhere; the others are
    /// already running and ignore the call). Once per dead silo.
    /// </summary>
    [Alias("Recover")]
    Task Recover(string deadSilo);

    /// <summary>Stops the loop for good: its state becomes Stopped with <paramref name="reason"/>, and its branches stop.</summary>
    [Alias("Cancel")]
    Task<LoopStatus> Cancel(string reason);

    /// <summary>
    /// Pauses a running loop for a person to look (the drift test fired): its state becomes Paused with
    /// <paramref name="reason"/> and its branches stop after their current day. Idempotent.
    /// </summary>
    [Alias("Pause")]
    Task<LoopStatus> Pause(string reason);

    /// <summary>
    /// A person has looked: the scored probes so far are acknowledged (the drift test starts over after them) and
    /// the paused loop runs again. Fails with <see cref="InvalidOperationException"/> if the loop is not paused.
    /// </summary>
    [Alias("ResumeAfterReview")]
    Task<LoopStatus> ResumeAfterReview(string by);

    /// <summary>A branch tells its loop that it has finished (completed or stopped). Idempotent.</summary>
    [Alias("OnBranchFinished")]
    Task OnBranchFinished(int branch, RunState state, string? reason);

    /// <summary>A branch's next day waits for a person (a review gate or a tripwire): do not poke it until a decision. Idempotent.</summary>
    [Alias("OnBranchAwaitingReview")]
    Task OnBranchAwaitingReview(int branch);

    /// <summary>A reviewer decided on a branch's held day: start the branch again so it acts on the decision. Idempotent.</summary>
    /// <summary>
    /// Returns once the loop changes course (a branch finishes or waits for review; the loop is paused, cancelled or
    /// finished), or after <paramref name="max"/> (at most 30 s): a progress stream waits on this between polls, so it
    /// reports a loop that has settled at once rather than at its next poll.
    /// </summary>
    [Alias("WaitForChange"), Orleans.Concurrency.AlwaysInterleave]
    Task WaitForChange(TimeSpan max);

    [Alias("OnReviewDecided")]
    Task OnReviewDecided(int branch);
}
