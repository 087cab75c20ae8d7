namespace Mimicry.Selection;

/// <summary>
/// Optimization pressure in bits. Choosing 1 of N costs log2 N; keeping what passes a filter with pass rate p
/// costs −log2 p. See docs/bits.md.
/// </summary>
public static class Bits
{
    public static double OneOf(int n) => n <= 1 ? 0 : Math.Log2(n);

    /// <summary>A day kept after <paramref name="rerolls"/> rejected draws was chosen among rerolls + 1 draws.</summary>
    public static double Rerolls(int rerolls) => OneOf(rerolls + 1);

    public static double Filter(int passed, int seen) => passed <= 0 || passed >= seen ? 0 : Math.Log2((double)seen / passed);
}
