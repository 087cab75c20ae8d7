using Mimicry.Spec;

namespace Mimicry.Prompts;

/// <summary>
/// The consolidation session of <c>overflow: digest</c> (docs/models.md#notebooks-longer-than-the-context): the
/// researcher spends a day rewriting the notebook into one entry that later days read in place of every entry before
/// it. Same persona, question and fenced notebook as a research day; only the task differs.
/// </summary>
public static class DigestPrompt
{
    /// <summary>The research day's: the same researcher wakes up the same way; only the task in the user message differs.</summary>
    public const string System = DefaultPrompt.System;

    public const string User = """
        Your research question: {{question}}

        {{notebook}}

        Today is {{today}}. Your notebook has grown too long to read in a day, so today you do no new research: you
        write a digest of the whole notebook above. From tomorrow on you will read this digest in place of every entry
        before it, and never see those entries again. Keep every result and the evidence for it, every method tried and
        what came of it, dead ends and why, what you now believe and how sure you are, open questions and your plans;
        drop repetition and chatter. Write it for yourself, as plain notes. Reply with the digest only.
        """;

    public static PromptSpec Spec { get; } = new(System, User, "digest");
}
