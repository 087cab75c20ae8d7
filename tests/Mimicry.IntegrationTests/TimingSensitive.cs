namespace Mimicry.IntegrationTests;

/// <summary>
/// Tests that measure a rate (requests per second against a limit) run alone, not beside the other test classes:
/// on a 2-core machine, parallel silos and servers would starve their timers and skew what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
