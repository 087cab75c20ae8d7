namespace Mimicry.Synthetic;

/// <summary>The synthetic critic for best-of-N and the validity filter for first-valid.</summary>
public static class SyntheticCritic
{
    /// <summary>Prefers a proven lemma, then more newly eliminated candidates.</summary>
    public static double Score(string candidate, NotebookClaims before)
    {
        var mine = NotebookClaims.Read([candidate]);
        var proofs = mine.ProvenLemmas.Keys.Count(l => !before.ProvenLemmas.ContainsKey(l));
        var next = before.ProvenPrefix + 1;
        return proofs * 1000 + mine.TriedCount(next);
    }

    /// <summary>Valid when the entry makes at least one claim and none contradicts a lemma already proven.</summary>
    public static bool IsValid(string candidate, NotebookClaims before)
    {
        var mine = NotebookClaims.Read([candidate]);
        if (mine.ProvenLemmas.Count == 0 && mine.TriedCount(before.ProvenPrefix + 1) == 0)
        {
            return candidate.Contains("are proven", StringComparison.Ordinal);
        }
        foreach (var (lemma, symbol) in mine.ProvenLemmas)
        {
            if (before.ProvenLemmas.TryGetValue(lemma, out var known) && known != symbol)
            {
                return false;
            }
        }
        return true;
    }
}
