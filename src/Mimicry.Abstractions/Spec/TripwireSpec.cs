namespace Mimicry.Spec;

/// <summary>
/// Which tripwires check each candidate entry (docs/tripwires.md). <see cref="OutOfDistribution"/> is the
/// similarity threshold (0 turns it off); <see cref="References"/> are the researcher's own writings it compares with;
/// <see cref="ModelJudge"/>, when set, asks a model of every candidate whether it meets the judge's criteria (a "no"
/// trips <c>model-judge</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.TripwireSpec")]
public sealed record TripwireSpec(
    [property: Id(0)] bool FutureLeakage,
    [property: Id(1)] bool ReaderDirected,
    [property: Id(2)] double OutOfDistribution,
    [property: Id(3)] IReadOnlyList<string> References,
    [property: Id(4)] IReadOnlyList<TripwirePattern> Patterns,
    [property: Id(5)] JudgeSpec? ModelJudge = null);

/// <summary>A user's tripwire: a name and a .NET regular expression.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.TripwirePattern")]
public sealed record TripwirePattern(
    [property: Id(0)] string Name,
    [property: Id(1)] string Regex);
