namespace Mimicry.Simulation;

/// <summary>
/// The clock Mimicry's grains and simulators use for anchors, latencies and session deadlines. Its own type,
/// so tests can drive Mimicry's time with a fake clock without touching the clock Orleans itself runs on.
/// </summary>
public sealed class MimicryClock(TimeProvider time)
{
    public static readonly MimicryClock System = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;
}
