namespace Mimicry.Selection;

/// <summary>
/// Optimization pressure in bits. Choosing 1 of N costs log2 N; keeping what passes a filter with pass rate p
/// costs −log2 p. See docs/bits.md.
/// </summary>
public static class Bits
{
    public static double OneOf(int n) => n <= 1 ? 0 : Math.Log2(n);

    public static double Filter(int passed, int seen) => passed <= 0 || passed >= seen ? 0 : Math.Log2((double)seen / passed);
}
