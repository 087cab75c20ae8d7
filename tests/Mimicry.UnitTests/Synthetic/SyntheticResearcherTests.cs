using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.Synthetic;

namespace Mimicry.UnitTests.Synthetic;

public class SyntheticResearcherTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly SyntheticSpec Problem = new(Lemmas: 4, Alphabet: 12, Attempts: 3, InvalidRate: 0);

    private static SessionRequest Request(int day, int slot, string[] notebook, NotebookAccess access = NotebookAccess.Full, double invalid = 0) => new(
        new SessionKey("t", 0, day, slot), Anchor, new ResearcherSpec("ada", "Ada", ""), "q", notebook, 99,
        new SimulatorSpec("synthetic", Problem with { InvalidRate = invalid }, TimeSpan.Zero, 10, access));

    /// <summary>A width-1 branch of the synthetic researcher, with or without its notebook, as a plain loop.</summary>
    private static List<string> RunBranch(int days, NotebookAccess access)
    {
        var notebook = new List<string>();
        for (var day = 1; day <= days; day++)
        {
            notebook.Add(SyntheticResearcher.Write(Request(day, 0, [.. notebook], access)));
        }
        return notebook;
    }

    [Fact]
    public void Write_SameRequest_SameText()
    {
        Assert.Equal(SyntheticResearcher.Write(Request(3, 1, ["x"])), SyntheticResearcher.Write(Request(3, 1, ["x"])));
    }

    [Fact]
    public void Write_DifferentSlots_UsuallyTryDifferentCandidates()
    {
        var texts = Enumerable.Range(0, 4).Select(s => SyntheticResearcher.Write(Request(1, s, []))).Distinct().Count();
        Assert.True(texts >= 2, $"4 slots wrote only {texts} distinct entries");
    }

    [Fact]
    public void WithNotebook_ProvesEveryLemma_WithinTheAlphabetBound()
    {
        // Each lemma needs at most alphabet/attempts days once tried candidates are skipped: 4 × 4 = 16 days.
        var notebook = RunBranch(days: 16, NotebookAccess.Full);
        Assert.Equal(Problem.Lemmas, NotebookClaims.Read(notebook).ProvenPrefix);
    }

    [Fact]
    public void WithoutNotebook_NeverGetsPastLemmaOne()
    {
        var notebook = RunBranch(days: 200, NotebookAccess.Withheld);
        var claims = NotebookClaims.Read(notebook);
        Assert.True(claims.ProvenPrefix <= 1, $"progress {claims.ProvenPrefix} without a notebook");
        Assert.DoesNotContain(notebook, e => e.Contains("lemma 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Proofs_AreTrue()
    {
        var problem = new SyntheticProblem(99, Problem);
        var claims = NotebookClaims.Read(RunBranch(days: 16, NotebookAccess.Full));
        foreach (var (lemma, symbol) in claims.ProvenLemmas)
        {
            Assert.Equal(problem.Secret(lemma), symbol);
        }
    }

    [Fact]
    public void Illegible_IsInvalid_AndProgressIsValid()
    {
        var before = NotebookClaims.Read([]);
        var smudged = SyntheticResearcher.Write(Request(1, 0, [], invalid: 0.999999));
        Assert.Contains(SyntheticResearcher.Illegible, smudged, StringComparison.Ordinal);
        Assert.False(SyntheticCritic.IsValid(smudged, before));
        Assert.True(SyntheticCritic.IsValid(SyntheticResearcher.Write(Request(1, 0, [])), before));
    }

    [Fact]
    public void Critic_PrefersAProofOverTries()
    {
        var before = NotebookClaims.Read([]);
        Assert.True(SyntheticCritic.Score("Lemma 1 = c (checked).", before) > SyntheticCritic.Score("Tried {a, b, d} for lemma 1; none holds.", before));
        Assert.True(SyntheticCritic.Score("Tried {a, b, d} for lemma 1; none holds.", before) > SyntheticCritic.Score("Tried {a} for lemma 1; none holds.", before));
    }

    [Fact]
    public void Claims_ReadProofsAndTriesFromFreeText()
    {
        var claims = NotebookClaims.Read(["Today: Lemma 1 = q. Tried {a, b} for lemma 2; none holds.", "Lemma 2 = s7 maybe"]);
        Assert.Equal(16, claims.ProvenLemmas[1]);
        Assert.Equal(7, claims.ProvenLemmas[2]);
        Assert.True(claims.WasTried(2, 0));
        Assert.False(claims.WasTried(1, 0));
        Assert.Equal(2, claims.ProvenPrefix);
    }
}
