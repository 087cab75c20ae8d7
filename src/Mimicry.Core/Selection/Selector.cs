using Mimicry.Spec;

namespace Mimicry.Selection;

/// <summary>Turns a day's candidates into the day's entries. Deterministic: ties go to the lowest slot.</summary>
public static class Selector
{
    public static SelectionOutcome Select(
        SelectionSpec selection,
        IReadOnlyList<Candidate> candidates,
        Func<string, double> critic,
        Func<string, bool> isValid)
    {
        var usable = candidates.Where(c => c.Text is not null).OrderBy(c => c.Slot).ToList();
        switch (selection.Kind)
        {
            case SelectionKind.All:
                return new SelectionOutcome(usable.Select(c => c.Slot).ToArray(), 0, usable.Count, usable.Count);

            case SelectionKind.BestOfN:
                if (usable.Count == 0)
                {
                    return new SelectionOutcome([], 0, 0, 0);
                }
                var best = usable[0];
                var bestScore = critic(best.Text!);
                foreach (var c in usable.Skip(1))
                {
                    var score = critic(c.Text!);
                    if (score > bestScore)
                    {
                        (best, bestScore) = (c, score);
                    }
                }
                return new SelectionOutcome([best.Slot], Bits.OneOf(usable.Count), usable.Count, 1);

            default:
                var valid = usable.Where(c => isValid(c.Text!)).ToList();
                return valid.Count == 0
                    ? new SelectionOutcome([], 0, usable.Count, 0)
                    : new SelectionOutcome([valid[0].Slot], Bits.Filter(valid.Count, usable.Count), usable.Count, valid.Count);
        }
    }
}
