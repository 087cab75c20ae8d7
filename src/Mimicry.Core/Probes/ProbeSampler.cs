using Mimicry.Determinism;
using Mimicry.Spec;

namespace Mimicry.Probes;

/// <summary>
/// Which branch-days get a probe: each with probability <c>rate</c> (drawn from the seed, so the same spec probes
/// the same days), and in any case one branch every <c>minEvery</c> days, taking the branches in turn so probes
/// spread over them.
/// </summary>
public static class ProbeSampler
{
    public static bool IsSampled(LoopSpec spec, int branch, int day)
    {
        if (spec.Calibration is not { } c)
        {
            return false;
        }
        if (c.MinEvery > 0 && day % c.MinEvery == 0 && branch == (day / c.MinEvery - 1) % spec.Branches)
        {
            return true;
        }
        return c.Rate > 0 && new StableRandom((ulong)Seeds.Derive(spec.Seed ^ 0x70726F6265, branch, day, -1)).NextDouble() < c.Rate;
    }

    public static string ProbeId(string loop, int branch, int day) => $"{loop}/{branch}/{day}";
}
