using Mimicry.Determinism;
using Mimicry.Spec;

namespace Mimicry.Synthetic;

/// <summary>
/// The hidden research problem, fixed by the loop seed: a chain of lemmas, each one symbol of the alphabet,
/// and the real researcher's own order of trying candidates for each lemma.
/// </summary>
public sealed class SyntheticProblem(long loopSeed, SyntheticSpec spec)
{
    public SyntheticSpec Spec { get; } = spec;

    /// <summary>The true symbol of lemma <paramref name="lemma"/> (1-based).</summary>
    public int Secret(int lemma) => (int)((ulong)Seeds.Derive(loopSeed, 1, lemma) % (ulong)Spec.Alphabet);

    /// <summary>The order in which the real researcher tries candidates for a lemma: a seeded permutation.</summary>
    public int[] ResearcherOrder(int lemma)
    {
        var order = Enumerable.Range(0, Spec.Alphabet).ToArray();
        var rng = new StableRandom((ulong)Seeds.Derive(loopSeed, 2, lemma));
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
