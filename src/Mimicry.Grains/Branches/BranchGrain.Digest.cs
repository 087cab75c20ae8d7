using Mimicry.Spec;

namespace Mimicry.Grains.Branches;

/// <summary>Digest days (<c>overflow: digest</c>, docs/models.md#notebooks-longer-than-the-context): when a branch spends its day consolidating.</summary>
public sealed partial class BranchGrain
{
    /// <summary>
    /// <c>overflow: digest</c>: whether this day is spent writing a digest. Counting a long notebook's tokens is CPU
    /// work worth keeping off the grain scheduler, so it runs beside it, and only for loops that ask for digests.
    /// </summary>
    private async Task<bool> DigestDueAsync(LoopSpec spec, int branch, int day, DateTimeOffset anchor, BranchNotebook notebook, int reroll, CancellationToken stop)
    {
        if (spec.Simulator.OpenAi is not { Overflow: "digest", ContextTokens: > 0 })
        {
            return false;
        }
        var nextDay = DayLogic.Request(spec, branch, day, 0, anchor, notebook, reroll);
        return await Task.Run(() => digests.Due(spec, nextDay), stop);
    }
}
