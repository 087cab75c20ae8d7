namespace Mimicry.Benchmarks;

/// <summary>The smallest grain there is: the baseline for "activate a grain and call it once".</summary>
[Alias("mimicry.bench.ITrivialGrain")]
public interface ITrivialGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task<int> Ping(int value);
}

public sealed class TrivialGrain : Grain, ITrivialGrain
{
    Task<int> ITrivialGrain.Ping(int value) => Task.FromResult(value + 1);
}
