using Mimicry.Sessions;
using Mimicry.Spec;

namespace Mimicry.Grains;

/// <summary>One timeline of a loop, keyed "loop/branch". Drives its days: dispatch sessions, select, append, repeat.</summary>
[Alias("mimicry.IBranchGrain")]
public interface IBranchGrain : IGrainWithStringKey
{
    /// <summary>Begins (or resumes) driving days in the background; returns at once.</summary>
    [Alias("Start")]
    Task Start(LoopSpec spec, int branch);

    /// <summary>
    /// A session reports its candidate. Returns once the branch has taken it, so the reporter knows the report
    /// arrived; the branch does no work for it beyond recording it.
    /// </summary>
    [Alias("OnSessionCompleted")]
    Task OnSessionCompleted(SessionResult result);

    /// <summary>Stops driving the branch (its loop was cancelled). Nothing is written; the activation goes away.</summary>
    [Alias("Stop")]
    Task Stop();
}
