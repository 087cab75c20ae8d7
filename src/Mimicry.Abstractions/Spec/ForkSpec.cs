namespace Mimicry.Spec;

/// <summary>
/// Where a forked loop's single branch starts: the first <see cref="FromDay"/> days of branch <see cref="Branch"/> of
/// <see cref="Loop"/>, read from that loop's notebook (shared, never copied). <see cref="Bits"/> is what forking
/// charged: another timeline from the same point is another draw a person may choose among (docs/bits.md).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.ForkSpec")]
public sealed record ForkSpec(
    [property: Id(0)] string Loop,
    [property: Id(1)] int Branch,
    [property: Id(2)] int FromDay,
    [property: Id(3)] double Bits,
    [property: Id(4)] IReadOnlyList<string> Changes);
