using Mimicry.Status;

namespace Mimicry.UnitTests.Status;

public class LoopOutcomeTests
{
    [Fact]
    public void AnyFailure_MakesTheLoopFailed_WithTheCommonestReason()
    {
        var (state, reason) = LoopOutcome.Summarize([
            (RunState.Completed, "all 5 days done"),
            (RunState.Failed, "every session of day 3 failed (x)"),
            (RunState.Stopped, "budget: maxBits reached (share 2)"),
        ]);
        Assert.Equal(RunState.Failed, state);
        Assert.Equal("every session of day 3 failed (in 1 of 3 branches)", reason);
    }

    [Fact]
    public void Stops_WithoutFailures_MakeTheLoopStopped_CountingBranches()
    {
        var (state, reason) = LoopOutcome.Summarize([
            (RunState.Stopped, "budget: maxBits reached (this branch's share is 2 bits, 2 spent)"),
            (RunState.Stopped, "budget: maxBits reached (this branch's share is 2 bits, 1.5 spent)"),
            (RunState.Completed, "solved after 3 days"),
        ]);
        Assert.Equal(RunState.Stopped, state);
        Assert.Equal("budget: maxBits reached (in 2 of 3 branches)", reason);
    }

    [Fact]
    public void AllCompleted_CountsSolvedBranches()
    {
        Assert.Equal((RunState.Completed, "1 of 2 branches solved the problem"),
            LoopOutcome.Summarize([(RunState.Completed, "solved after 3 days"), (RunState.Completed, "all 5 days done")]));
        Assert.Equal((RunState.Completed, "all 2 branches ran every day"),
            LoopOutcome.Summarize([(RunState.Completed, "all 5 days done"), (RunState.Completed, "all 5 days done")]));
    }
}
