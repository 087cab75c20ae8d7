namespace Mimicry.Spec;

/// <summary>
/// Where a forked loop's single branch starts: the first <see cref="FromDay"/> days of branch <see cref="Branch"/> of
/// <see cref="Loop"/>, read from that loop's notebook (shared, never copied). <see cref="Bits"/> is what forking
/// charged: another timeline from the same point is another draw a person may choose among (docs/bits.md).
/// <see cref="Timeline"/> numbers the forks from that point (1, 2, …): it salts the fork's session seeds, so a fork
/// draws afresh (same researcher, same problem) even with the parent's seed.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.ForkSpec")]
public sealed record ForkSpec(
    [property: Id(0)] string Loop,
    [property: Id(1)] int Branch,
    [property: Id(2)] int FromDay,
    [property: Id(3)] double Bits,
    [property: Id(4)] IReadOnlyList<string> Changes,
    [property: Id(5)] int Timeline = 1);
