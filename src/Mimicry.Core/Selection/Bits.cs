namespace Mimicry.Selection;

/// <summary>
/// Optimization pressure in bits. Choosing 1 of N costs log2 N; keeping what passes a filter with pass rate p
/// costs −log2 p. See docs/bits.md.
/// </summary>
public static class Bits
{
    public static double OneOf(int n) => n <= 1 ? 0 : Math.Log2(n);

    /// <summary>Keeping a chosen <paramref name="k"/> of <paramref name="n"/>: log2 C(n, k) (1 of n: log2 n; all of them: 0).</summary>
    public static double Subset(int n, int k)
    {
        if (k <= 0 || k >= n)
        {
            return 0;
        }
        k = Math.Min(k, n - k);
        double bits = 0;
        for (var i = 1; i <= k; i++)
        {
            bits += Math.Log2(n - k + i) - Math.Log2(i);
        }
        return bits;
    }

    /// <summary>A day kept after <paramref name="rerolls"/> rejected draws was chosen among rerolls + 1 draws.</summary>
    public static double Rerolls(int rerolls) => OneOf(rerolls + 1);

    public static double Filter(int passed, int seen) => passed <= 0 || passed >= seen ? 0 : Math.Log2((double)seen / passed);
}
