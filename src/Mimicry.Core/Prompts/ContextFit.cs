using Mimicry.Sessions;
using Mimicry.Spec;

namespace Mimicry.Prompts;

/// <summary>The prompt does not fit the model's context window, and the loop's policy cannot make it fit.</summary>
public sealed class ContextOverflowException(string message) : Exception(message);

/// <summary>A session's prompt, fitted to the model's context window, and how many of the oldest entries it leaves out.</summary>
public sealed record FittedPrompt(PromptMessages Messages, int LeftOut, int Tokens);

/// <summary>
/// Keeps every request within the model's context window (docs/models.md#notebooks-longer-than-the-context). The prompt
/// is counted with <c>count</c> (a tokenizer for the model family, or a conservative bound); when it would not leave
/// room for <c>maxOutputTokens</c>, policy <c>recent</c> leaves out the fewest oldest entries that make it fit (the
/// prompt says how many), and <c>fail</c> fails the session without sending anything. Never truncates an entry.
/// </summary>
public static class ContextFit
{
    /// <summary>Tokens a chat request adds beyond its messages' text (roles, separators), counted generously.</summary>
    public const int Overhead = 32;

    /// <summary>
    /// With <c>overflow: digest</c>, a branch spends its next day consolidating once the day's research prompt would
    /// fill more than this share of the room: the consolidation session reads the same notebook with its own
    /// instructions, so it must still fit, and the day's new entries need room too.
    /// </summary>
    public const double DigestAt = 0.75;

    /// <summary>
    /// True when the branch should write a digest before <paramref name="nextDay"/> (its slot-0 request): the loop asks
    /// for digests, the research prompt fills more than <see cref="DigestAt"/> of the room, and at least two entries
    /// lie past the latest digest (a digest of the digest alone would free nothing).
    /// </summary>
    public static bool NeedsDigest(PromptSpec prompt, SessionRequest nextDay, OpenAiSpec spec, Func<string, int> count)
    {
        if (spec.OverflowPolicy != "digest" || spec.ContextTokens <= 0 || nextDay.Digest || nextDay.Simulator.Notebook == NotebookAccess.Withheld)
        {
            return false;
        }
        var sinceDigest = nextDay.Notebook.Length - (nextDay.Hidden > 0 ? 1 : 0);
        if (sinceDigest < 2)
        {
            return false;
        }
        var full = PromptBuilder.Build(prompt, nextDay);
        return count(full.System) + count(full.User) > Room(spec) * DigestAt;
    }

    /// <summary>The tokens a prompt may take: the window less the answer's room and the request's overhead.</summary>
    public static int Room(OpenAiSpec spec) => spec.ContextTokens - spec.MaxOutputTokens - Overhead;

    public static FittedPrompt Fit(PromptSpec prompt, SessionRequest request, OpenAiSpec spec, Func<string, int> count) =>
        Fit(leftOut => PromptBuilder.Build(prompt, request, leftOut), request.Notebook.Length, spec, count);

    /// <summary>
    /// Fits any prompt with a notebook in it (a session's, the critic's, the judge's): <paramref name="build"/> makes it
    /// with that many of the oldest of <paramref name="entries"/> entries left out.
    /// </summary>
    public static FittedPrompt Fit(Func<int, PromptMessages> build, int entries, OpenAiSpec spec, Func<string, int> count)
    {
        var full = build(0);
        if (spec.ContextTokens <= 0)
        {
            return new FittedPrompt(full, 0, 0);
        }
        var room = Room(spec);
        int Tokens(PromptMessages m) => count(m.System) + count(m.User);
        var tokens = Tokens(full);
        if (tokens <= room)
        {
            return new FittedPrompt(full, 0, tokens);
        }
        if (spec.OverflowPolicy == "fail" || entries == 0)
        {
            throw new ContextOverflowException(
                $"the prompt needs about {tokens:N0} tokens, more than the {room:N0} left by contextTokens {spec.ContextTokens:N0} beside maxOutputTokens {spec.MaxOutputTokens:N0}"
                + (entries == 0 ? " even with an empty notebook" : "; overflow: recent would leave out the oldest entries"));
        }
        // The fewest left out that fit: fitting is monotone in how many are left out (fewer entries, shorter prompt).
        int lo = 1, hi = entries;
        PromptMessages? best = null;
        var bestTokens = 0;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            var candidate = build(mid);
            var n = Tokens(candidate);
            if (n <= room)
            {
                (best, bestTokens, hi) = (candidate, n, mid - 1);
            }
            else
            {
                lo = mid + 1;
            }
        }
        if (best is not null)
        {
            // Leave out in chunks, so the window's start (and with it the prompt's cacheable prefix) stays put for
            // several days instead of moving every day: a power of two, about a quarter of what is kept.
            var chunk = 1;
            while (chunk * 2 <= Math.Max(1, (entries - lo) / 4))
            {
                chunk *= 2;
            }
            var chunked = Math.Min(entries, (lo + chunk - 1) / chunk * chunk);
            if (chunked != lo)
            {
                var wider = build(chunked);
                (best, bestTokens, lo) = (wider, Tokens(wider), chunked);
            }
        }
        if (best is null)
        {
            throw new ContextOverflowException(
                $"even with every one of the {entries} notebook entries left out the prompt needs more than the {room:N0} tokens left by contextTokens {spec.ContextTokens:N0} beside maxOutputTokens {spec.MaxOutputTokens:N0}");
        }
        return new FittedPrompt(best, lo, bestTokens);
    }
}
