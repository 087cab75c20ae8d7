namespace Mimicry.Spec;

/// <summary>
/// Which tripwires check each candidate entry (docs/tripwires.md). <see cref="OutOfDistribution"/> is the
/// similarity threshold (0 turns it off); <see cref="References"/> are the researcher's own writings it compares with.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.TripwireSpec")]
public sealed record TripwireSpec(
    [property: Id(0)] bool FutureLeakage,
    [property: Id(1)] bool ReaderDirected,
    [property: Id(2)] double OutOfDistribution,
    [property: Id(3)] IReadOnlyList<string> References,
    [property: Id(4)] IReadOnlyList<TripwirePattern> Patterns);

/// <summary>A user's tripwire: a name and a .NET regular expression.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.TripwirePattern")]
public sealed record TripwirePattern(
    [property: Id(0)] string Name,
    [property: Id(1)] string Regex);
