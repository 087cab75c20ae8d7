namespace Mimicry.Determinism;

/// <summary>Derives independent seeds from a loop seed and a path of integers (branch, day, slot, …).</summary>
public static class Seeds
{
    public static long Derive(long seed, params ReadOnlySpan<long> path)
    {
        var rng = new StableRandom((ulong)seed);
        var h = rng.NextUInt64();
        foreach (var part in path)
        {
            var step = new StableRandom(h ^ (ulong)part * 0xD6E8FEB86659FD93UL);
            h = step.NextUInt64();
        }
        return (long)(h & long.MaxValue);
    }

    /// <summary>The seed of one session: recorded in its entry's provenance.</summary>
    public static long ForSession(long loopSeed, int branch, int day, int slot, int reroll = 0, int timeline = 0) =>
        timeline != 0 ? Derive(loopSeed, branch, day, slot, reroll, timeline)
        : reroll != 0 ? Derive(loopSeed, branch, day, slot, reroll)
        : Derive(loopSeed, branch, day, slot);

    /// <summary>The seed of the session <paramref name="request"/> asks for (a re-roll of a day gets fresh seeds).</summary>
    public static long ForSession(Mimicry.Sessions.SessionRequest request) =>
        ForSession(request.Seed, request.Key.Branch, request.Key.Day, request.Key.Slot, request.Reroll, request.Timeline);
}
