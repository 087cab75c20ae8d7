using System.Globalization;
using System.Text.Json;
using Mimicry.Spec;
using Mimicry.Storage;
using Mimicry.Text;

namespace Mimicry.Api.Output;

/// <summary>
/// Writes notebooks. Entry text is untrusted model output: in Markdown it goes inside a fence longer than any
/// backtick run it contains, with control characters removed; in JSON lines it is an escaped string.
/// </summary>
public sealed class NotebookWriter(TextWriter output, bool jsonLines)
{
    private LoopSpec? _spec;

    public void Header(LoopSpec spec)
    {
        _spec = spec;
        if (!jsonLines)
        {
            output.WriteLine($"# Notebooks of loop `{spec.Name}`");
            output.WriteLine();
            output.WriteLine($"Researcher: {InertText.ForTerminal(spec.Researcher.Name)} ({spec.Researcher.Id}). Selection: {spec.Selection}. Seed: {spec.Seed}.");
            output.WriteLine();
            if (spec.Fork is { } fork)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Forked from loop `{fork.Loop}` branch {fork.Branch} after day {fork.FromDay}{(fork.Changes.Count > 0 ? $", with {string.Join(", ", fork.Changes.Select(InertText.ForTerminal))}" : "")}; its first {fork.FromDay} days are that branch's, shared. Forking charged {fork.Bits:0.###} bits."));
                output.WriteLine();
            }
        }
    }

    public void Branch(int branch, IReadOnlyList<Mimicry.Grains.Catalog.ReviewedDay> days)
    {
        if (!jsonLines)
        {
            output.WriteLine($"## Branch {branch} ({days.Count} of {_spec!.Days} days)");
            output.WriteLine();
        }
        var fork = _spec!.Fork;
        foreach (var (day, review) in days)
        {
            var inherited = day.Loop != _spec.Name;
            foreach (var e in day.Entries)
            {
                if (jsonLines)
                {
                    // Token fields only where a model billed some, so synthetic notebooks read as before.
                    var billed = day.InputTokens + day.OutputTokens > 0;
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        loop = day.Loop,
                        branch = inherited ? day.Branch : branch,
                        day = day.Day,
                        seq = e.Seq,
                        anchor = day.Anchor.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                        text = e.Text,
                        hash = e.Hash,
                        session = e.SessionId,
                        seed = e.Seed,
                        simulator = e.Simulator,
                        selection = day.Selection,
                        candidates = day.Candidates,
                        bits = Math.Round(day.Bits, 9),
                        inputTokens = billed ? e.InputTokens : (int?)null,
                        outputTokens = billed ? e.OutputTokens : (int?)null,
                        cachedInputTokens = billed ? e.CachedInputTokens : (int?)null,
                        dayInputTokens = billed ? day.InputTokens : (long?)null,
                        dayCachedInputTokens = billed ? day.CachedInputTokens : (long?)null,
                        dayOutputTokens = billed ? day.OutputTokens : (long?)null,
                        dayCost = billed ? Math.Round(day.Cost, 9) : (double?)null,
                        futureAnchorAllowed = _spec!.Anchor.AllowFutureAnchor ? true : (bool?)null,
                        forkedFrom = fork is null ? null : new { loop = fork.Loop, branch = fork.Branch, day = fork.FromDay },
                        review = review is null ? null : new
                        {
                            id = review.Id,
                            reasons = review.Reasons,
                            decidedBy = review.DecidedBy,
                            decidedAt = review.DecidedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                            picks = review.Picks,
                        },
                    }, JsonOptions));
                }
                else
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"### Day {day.Day}, entry {e.Seq + 1} · anchor {day.Anchor.UtcDateTime:yyyy-MM-dd HH:mm}Z · {(day.IsDigest ? day.Selection : $"{day.Selection} of {day.Candidates}")} · {day.Bits:0.##} bits · session {e.SessionId}{(e.InputTokens + e.OutputTokens > 0 ? $" · {e.InputTokens}+{e.OutputTokens} tokens" : "")}{(inherited ? $" · from {day.Loop} branch {day.Branch}" : "")}"));
                    if (review is not null)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"Released by review {review.Id}: approved by {InertText.ForTerminal(review.DecidedBy ?? "?")} at {review.DecidedAt:yyyy-MM-dd HH:mm}Z{(review.Picks is { } k ? $", who picked candidate{(k.Count == 1 ? "" : "s")} {string.Join(", ", k)}" : "")} ({string.Join("; ", review.Reasons)})."));
                        output.WriteLine();
                    }
                    var text = InertText.ForTerminal(e.Text);
                    var fence = new string('`', Math.Max(3, LongestBacktickRun(text) + 1));
                    output.WriteLine(fence + "text");
                    output.WriteLine(text);
                    output.WriteLine(fence);
                    output.WriteLine();
                }
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Untrusted text as an inert fenced block: control characters stripped, a fence longer than any in the text.</summary>
    public static string Fenced(string untrusted)
    {
        var text = InertText.ForTerminal(untrusted);
        var fence = new string('`', Math.Max(3, LongestBacktickRun(text) + 1));
        return $"{fence}text\n{text}\n{fence}";
    }

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
