namespace Mimicry.Status;

/// <summary>Where a probe is: waiting for the calibrator, answered (scored), rated too, or expired unanswered.</summary>
[GenerateSerializer, Alias("mimicry.ProbeState")]
public enum ProbeState
{
    Open,
    Answered,
    Rated,
    Expired,
}

/// <summary>
/// One calibration probe: the situation one session faced (anchor, question, the notebook as it saw it), put to
/// the real researcher. <see cref="Simulated"/> is what the simulator wrote there; it is shown to the calibrator
/// only after they have answered (blind first). Ids read "loop/branch/day".
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.Probe")]
public sealed record Probe(
    [property: Id(0)] string Id,
    [property: Id(1)] string Loop,
    [property: Id(2)] string Researcher,
    [property: Id(3)] string Calibrator,
    [property: Id(4)] int Branch,
    [property: Id(5)] int Day,
    [property: Id(6)] DateTimeOffset Anchor,
    [property: Id(7)] string Question,
    [property: Id(8)] IReadOnlyList<string> Notebook,
    [property: Id(9)] string Simulated,
    [property: Id(10)] DateTimeOffset Created,
    [property: Id(11)] DateTimeOffset Expires,
    [property: Id(12)] ProbeState State,
    [property: Id(13)] string? Answer = null,
    [property: Id(14)] DateTimeOffset? AnsweredAt = null,
    [property: Id(15)] int? Rating = null,
    [property: Id(16)] double? Similarity = null,
    [property: Id(17)] double? Score = null,
    [property: Id(18)] bool Acknowledged = false);
