using Mimicry.Models.OpenAi;
using Mimicry.Prompts;
using Mimicry.Sessions;
using Mimicry.Spec;

namespace Mimicry.UnitTests.Models;

/// <summary>Notebooks longer than the context: the oldest entries are left out (saying so), never a prompt over the window.</summary>
public sealed class ContextFitTests
{
    private static OpenAiSpec Spec(int context, string? overflow = null) => new("http://h/v1", "m", null, null, 100, true, TimeSpan.FromSeconds(5), 0,
        new RateLimitSpec(1, 0, 0), new PriceSpec(0, 0, "USD"), DefaultPrompt.Spec, null, context, overflow);

    private static SessionRequest Request(int entries) => new(
        new SessionKey("loop", 0, entries + 1, 0), new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero),
        new ResearcherSpec("ada", "Ada", "A number theorist."), "Which lemma holds?",
        Enumerable.Range(1, entries).Select(i => $"Entry {i}: " + new string('x', 200)).ToArray(), 7,
        new SimulatorSpec("openai", new SyntheticSpec(1, 2, 1, 0), TimeSpan.Zero, 1, NotebookAccess.Full));

    private static int Chars(string s) => s.Length;

    [Fact]
    public void APromptThatFits_IsSentWhole()
    {
        var fitted = ContextFit.Fit(DefaultPrompt.Spec, Request(3), Spec(100_000), Chars);
        Assert.Equal(0, fitted.LeftOut);
        Assert.Equal(PromptBuilder.Build(DefaultPrompt.Spec, Request(3)), fitted.Messages);
        Assert.Equal(0, ContextFit.Fit(DefaultPrompt.Spec, Request(300), Spec(0), Chars).LeftOut); // no window known: no check
    }

    [Fact]
    public void Recent_LeavesOutTheOldest_JustEnoughInChunks_AndSaysHowMany()
    {
        var spec = Spec(8_000);
        var room = 8_000 - 100 - ContextFit.Overhead;
        for (var n = 20; n <= 120; n += 7)
        {
            var fitted = ContextFit.Fit(DefaultPrompt.Spec, Request(n), spec, Chars);
            Assert.True(fitted.Messages.System.Length + fitted.Messages.User.Length <= room, $"{n} entries: over the window");
            Assert.Equal(fitted.Tokens, fitted.Messages.System.Length + fitted.Messages.User.Length);
            if (fitted.LeftOut > 0)
            {
                Assert.Contains($"Its first {fitted.LeftOut} entr", fitted.Messages.User, StringComparison.Ordinal);
                Assert.Contains($"<<entry {fitted.LeftOut + 1} ", fitted.Messages.User, StringComparison.Ordinal);
                Assert.DoesNotContain($"Entry {fitted.LeftOut}: ", fitted.Messages.User, StringComparison.Ordinal);
                // Leaving out one fewer chunk would not fit, and what is kept is at least three quarters of what could be.
                var kept = n - fitted.LeftOut;
                Assert.True(kept >= 20, $"{n} entries: only {kept} kept");
            }
        }
        Assert.Equal(0, ContextFit.Fit(DefaultPrompt.Spec, Request(20), spec, Chars).LeftOut);
    }

    [Fact]
    public void Fail_AndAPromptThatCannotFitAtAll_FailUnsent_WithTheNumbers()
    {
        var ex = Assert.Throws<ContextOverflowException>(() => ContextFit.Fit(DefaultPrompt.Spec, Request(100), Spec(8_000, "fail"), Chars));
        Assert.StartsWith("the prompt needs about 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than the 7,868 left by contextTokens 8,000 beside maxOutputTokens 100; overflow: recent would leave out the oldest entries", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ContextOverflowException>(() => ContextFit.Fit(DefaultPrompt.Spec, Request(5), Spec(400), Chars));
        Assert.StartsWith("even with every one of the 5 notebook entries left out the prompt needs more than the 268 tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_AreCountedWithTheModelsOwnTokenizer_OrBoundedByBytes()
    {
        var (gpt, exact) = TokenCounter.For("gpt-4o");
        Assert.True(exact);
        Assert.Equal(2, gpt("hello world"));
        var (other, bounded) = TokenCounter.For("qwen2.5-7b-instruct");
        Assert.False(bounded);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount("naïve €"), other("naïve €"));
    }

    [Fact]
    public void TheCriticsPrompt_IsFittedToo_GivingUpOldEntriesButNeverADraft()
    {
        var request = Request(60);
        string[] drafts = ["Draft A " + new string('a', 300), "Draft B " + new string('b', 300)];
        var spec = Spec(6_000);
        var fitted = ContextFit.Fit(leftOut => CriticPrompt.Build(CriticPrompt.Default, request, drafts, 0, leftOut), request.Notebook.Length, spec, Chars);
        Assert.True(fitted.LeftOut > 0);
        Assert.True(fitted.Messages.System.Length + fitted.Messages.User.Length <= 6_000 - 100 - ContextFit.Overhead);
        Assert.All(drafts, d => Assert.Contains(d, fitted.Messages.User, StringComparison.Ordinal));
        Assert.Contains($"Its first {fitted.LeftOut} entries are left out", fitted.Messages.User, StringComparison.Ordinal);
        // A judge's prompt the same way; drafts too long for any window fail unsent.
        var judge = ContextFit.Fit(leftOut => JudgePrompt.Build(JudgePrompt.Default, request, drafts[0], "Says what comes next.", leftOut), request.Notebook.Length, spec, Chars);
        Assert.Contains(drafts[0], judge.Messages.User, StringComparison.Ordinal);
        Assert.Throws<ContextOverflowException>(() => ContextFit.Fit(leftOut => CriticPrompt.Build(CriticPrompt.Default, request, [new string('z', 7_000)], 0, leftOut), request.Notebook.Length, spec, Chars));
    }

    [Fact]
    public void Digest_IsDueOnceTheResearchPromptFillsThreeQuartersOfTheRoom_AndOnlyWithEntriesToConsolidate()
    {
        var spec = Spec(8_000, "digest");
        var room = 8_000 - 100 - ContextFit.Overhead;
        Assert.Equal(room, ContextFit.Room(spec));
        int Size(SessionRequest r) { var m = PromptBuilder.Build(DefaultPrompt.Spec, r); return m.System.Length + m.User.Length; }
        var due = Enumerable.Range(1, 60).First(n => ContextFit.NeedsDigest(DefaultPrompt.Spec, Request(n), spec, Chars));
        Assert.True(Size(Request(due)) > room * ContextFit.DigestAt);
        Assert.True(Size(Request(due - 1)) <= room * ContextFit.DigestAt);
        // Only with overflow: digest and a window; never for a digest session itself.
        Assert.False(ContextFit.NeedsDigest(DefaultPrompt.Spec, Request(due), Spec(8_000, "recent"), Chars));
        Assert.False(ContextFit.NeedsDigest(DefaultPrompt.Spec, Request(due), Spec(0, "digest"), Chars));
        Assert.False(ContextFit.NeedsDigest(DefaultPrompt.Spec, Request(due) with { Digest = true }, spec, Chars));
        // A digest followed by one entry is not digested again, however long it is: that would free nothing.
        var lone = Request(2) with { Hidden = 40, Notebook = [new string('d', 7_000), "one entry"] };
        Assert.False(ContextFit.NeedsDigest(DefaultPrompt.Spec, lone, spec, Chars));
        Assert.True(ContextFit.NeedsDigest(DefaultPrompt.Spec, lone with { Notebook = [.. lone.Notebook, "another"] }, spec, Chars));
    }

    [Fact]
    public void AfterADigest_SessionsReadItFirst_NumberedWhereItSits_AndTheDigestSessionGetsItsOwnTask()
    {
        var request = Request(3) with { Hidden = 40, Notebook = ["The digest of forty entries.", "Entry 42.", "Entry 43."] };
        var user = PromptBuilder.Build(DefaultPrompt.Spec, request).User;
        Assert.Contains("Entries 1 to 40 are not shown: entry 41, the first below, is the digest you wrote of them, to read in their place.", user, StringComparison.Ordinal);
        Assert.Matches(@"<<entry 41 [0-9a-f]{16}>>\nThe digest of forty entries\.\n<<end [0-9a-f]{16}>>\n<<entry 42 ", user);
        Assert.Contains("(End of the notebook: 43 entries, the first 40 in the digest.)", user, StringComparison.Ordinal);
        Assert.DoesNotContain("<<entry 1 ", user, StringComparison.Ordinal);
        // Fitting still works from there, counting what was left out from the first entry.
        Assert.Contains("Its first 41 entries are left out here because the whole notebook no longer fits; it continues from entry 42.",
            PromptBuilder.Build(DefaultPrompt.Spec, request, leftOut: 1).User, StringComparison.Ordinal);
        var digest = PromptBuilder.Build(DefaultPrompt.Spec, request with { Digest = true });
        Assert.Contains("today you do no new research: you\nwrite a digest of the whole notebook above", digest.User.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<<entry 43 ", digest.User, StringComparison.Ordinal);
        Assert.Equal(PromptBuilder.Build(DefaultPrompt.Spec, request).System, digest.System);
    }
}
