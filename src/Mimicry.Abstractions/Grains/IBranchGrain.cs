using Orleans.Concurrency;
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

    /// <summary>A session reports its candidate. One-way: the session never waits on the branch.</summary>
    [Alias("OnSessionCompleted"), OneWay]
    Task OnSessionCompleted(SessionResult result);
}
