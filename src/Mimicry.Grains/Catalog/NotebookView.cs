using Mimicry.Grains.Branches;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Text;

namespace Mimicry.Grains.Catalog;

/// <summary>A committed day as people read it: the record (a fork's first days are its parent's) and the review that released it.</summary>
public sealed record ReviewedDay(DayRecord Day, Review? Review);

/// <summary>Reads a branch's notebook for export: lineage across forks, and who approved each held day and when.</summary>
public static class NotebookView
{
    public static async Task<IReadOnlyList<ReviewedDay>> ReadAsync(INotebookStore store, LoopSpec spec, int branch)
    {
        var days = await NotebookLineage.ReadDaysAsync(store, spec, branch);
        var loops = days.Select(d => d.Loop).Distinct(StringComparer.Ordinal).ToList();
        var approved = new Dictionary<(string, int, int), List<Review>>();
        foreach (var loop in loops)
        {
            foreach (var r in await store.ListReviewsAsync(loop, pendingOnly: false))
            {
                if (r.State == ReviewState.Approved)
                {
                    var key = (r.Loop, r.Branch, r.Day);
                    if (!approved.TryGetValue(key, out var list))
                    {
                        approved[key] = list = [];
                    }
                    list.Add(r);
                }
            }
        }
        return days.Select(d => new ReviewedDay(d, approved.GetValueOrDefault((d.Loop, d.Branch, d.Day))?.FirstOrDefault(r => Released(r, d)))).ToList();
    }

    /// <summary>
    /// Whether the day's entries are exactly what the review released (its picks, else the selection's choice), by
    /// content hash: a day another activation committed from other candidates does not carry the reviewer's name.
    /// </summary>
    public static bool Released(Review review, DayRecord day)
    {
        var released = (review.Picks ?? review.Chosen)
            .Select(slot => review.Candidates.FirstOrDefault(c => c.Slot == slot)?.Text)
            .Select(text => text is null ? null : ContentHash.Of(text));
        return day.Entries.Select(e => e.Hash).SequenceEqual(released);
    }

    public static NotebookDay ToWire(ReviewedDay d) => new(d.Day.Day, d.Day.Anchor, d.Day.Selection, d.Day.Candidates, d.Day.Sessions, d.Day.Bits,
        d.Day.Entries.Select(e => new NotebookEntry(e.Seq, e.Slot, e.SessionId, e.Seed, e.Simulator, e.Text, e.Hash, e.InputTokens, e.OutputTokens, e.CachedInputTokens)).ToList(),
        d.Day.InputTokens, d.Day.OutputTokens, d.Day.Cost, d.Day.Loop, d.Day.Branch, d.Review, d.Day.CachedInputTokens);

    public static ReviewedDay FromWire(string loop, int branch, NotebookDay d) => new(
        new DayRecord(d.Loop ?? loop, d.Loop is null ? branch : d.Branch, d.Day, d.Anchor, d.Selection, d.Candidates, d.Sessions, d.Bits,
            d.Entries.Select(e => new EntryRecord(e.Seq, e.Slot, e.SessionId, e.Seed, e.Simulator, e.Text, e.Hash, e.InputTokens, e.OutputTokens, e.CachedInputTokens)).ToList(),
            d.InputTokens, d.OutputTokens, d.Cost, d.CachedInputTokens),
        d.Review);
}
