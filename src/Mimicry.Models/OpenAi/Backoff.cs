using Mimicry.Determinism;

namespace Mimicry.Models.OpenAi;

/// <summary>
/// Exponential backoff with jitter: attempt n waits between half and all of min(cap, base × 2^(n-1)). The jitter is
/// drawn from the session's seed, so retries of many sessions spread out instead of arriving together.
/// </summary>
public sealed class Backoff(long seed)
{
    public static readonly TimeSpan Base = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private StableRandom _random = new((ulong)seed ^ 0x4261_636B_6F66_66UL);

    public TimeSpan Next(int attempt)
    {
        var ceiling = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + 0.5 * _random.NextDouble()));
    }
}
