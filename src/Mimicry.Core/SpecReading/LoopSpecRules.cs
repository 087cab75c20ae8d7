using System.Globalization;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>
/// The spec reader's rules, checked again on a built <see cref="LoopSpec"/>: a grain must not trust that a spec came
/// through the reader (anything inside the cluster can call it). Each problem names the field, as the reader does.
/// </summary>
public static partial class LoopSpecRules
{    /// <param name="inlineBackends">Whether a spec may name a model URL and key variable itself (the embedded local user only).</param>
    public static IReadOnlyList<string> Problems(LoopSpec spec, bool inlineBackends)
    {
        var p = new List<string>();
        void Check(bool ok, string field, string problem)
        {
            if (!ok)
            {
                p.Add($"{field}: {problem}");
            }
        }
        Check(spec.Name is not null && SpecReader.IsSlug(spec.Name), "name", $"must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (got '{Shown(spec.Name)}')");
        Check(spec.Researcher is not null && SpecReader.IsSlug(spec.Researcher.Id), "researcher.id", "must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        Check(spec.Researcher is not null && Text(spec.Researcher.Name, 200, multiline: false), "researcher.name", "must be 1-200 characters without control characters");
        Check(spec.Researcher is not null && Text(spec.Researcher.Description, 100_000, multiline: true, allowEmpty: true), "researcher.description", "must be text without control characters");
        Check(Text(spec.Question, 100_000, multiline: true), "question", "must be non-empty text without control characters");
        Check(spec.Days is >= 1 and <= SpecReader.MaxDays, "days", $"must be between 1 and {SpecReader.MaxDays} (got {spec.Days})");
        Check(spec.Branches is >= 1 and <= SpecReader.MaxBranches, "branches", $"must be between 1 and {SpecReader.MaxBranches} (got {spec.Branches})");
        Check(spec.Width is >= 1 and <= SpecReader.MaxWidth, "width", $"must be between 1 and {SpecReader.MaxWidth} (got {spec.Width})");
        Check(spec.Seed >= 0, "seed", $"must be 0 or more (got {spec.Seed})");
        if (spec.Selection is null)
        {
            p.Add("selection: required");
        }
        else if (spec.Selection.Kind == SelectionKind.BestOfN)
        {
            Check(spec.Selection.N >= 1 && spec.Selection.N <= spec.Width, "selection", $"best-of-N needs 1 <= N <= width ({spec.Width}) (got {spec.Selection.N})");
        }
        if (spec.Budgets is null)
        {
            p.Add("budgets: required");
        }
        else
        {
            Check(spec.Budgets.MaxSessions >= 0, "budgets.maxSessions", "must be 0 (unlimited) or more");
            Check(Finite(spec.Budgets.MaxBits), "budgets.maxBits", "must be a finite number, 0 (unlimited) or more");
            Check(Finite(spec.Budgets.MaxBitsPerBranch), "budgets.maxBitsPerBranch", "must be a finite number, 0 (unlimited) or more");
            Check(spec.Budgets.MaxTokens >= 0, "budgets.maxTokens", "must be 0 (unlimited) or more");
            Check(Finite(spec.Budgets.MaxCost), "budgets.maxCost", "must be a finite number, 0 (unlimited) or more");
        }
        if (spec.Anchor is null)
        {
            p.Add("anchor: required");
        }
        else
        {
            Check(spec.Anchor.Step >= TimeSpan.Zero && spec.Anchor.Lag >= TimeSpan.Zero && spec.Anchor.EveryDays >= 0, "anchor", "step, lag and everyDays must not be negative");
        }
        CheckSimulator(spec.Simulator, inlineBackends, p);
        CheckFilters(spec, inlineBackends, p);
        CheckCritic(spec, inlineBackends, p);
        CheckTripwires(spec, inlineBackends, p);
        if (spec.Review is { } review)
        {
            Check(review.EveryDays >= 0, "review.everyDays", $"must be 0 or more (got {review.EveryDays})");
            Check(review.Top == 0 || (review.Top >= 2 && spec.Selection is { Kind: SelectionKind.BestOfN } && review.Top <= spec.Selection.N),
                "review.top", $"must be 0 (off), or from 2 to N with selection best-of-N (got {review.Top})");
        }
        if (spec.Calibration is { } cal)
        {
            Check(cal.Calibrator is not null && SpecReader.IsSlug(cal.Calibrator.Id), "calibration.calibrator.id", "must be 1-64 lower-case letters, digits, '.', '_' or '-'");
            Check(cal.Rate is >= 0 and <= 1, "calibration.rate", "must be between 0 and 1");
            Check(cal.Drift is not null && cal.Drift.Baseline >= 1 && Finite(cal.Drift.Threshold) && cal.Drift.Threshold > 0, "calibration.drift", "needs a baseline of 1 or more and a positive threshold");
        }
        if (spec.Fork is { } fork)
        {
            Check(SpecReader.IsSlug(fork.Loop), "fork.loop", "must name a loop");
            Check(fork.Branch >= 0 && fork.FromDay >= 0, "fork", "branch and fromDay must not be negative");
            Check(Finite(fork.Bits), "fork.bits", $"must be a finite number, 0 or more (got {fork.Bits.ToString(CultureInfo.InvariantCulture)})");
            Check(fork.Timeline >= 1, "fork.timeline", "must be 1 or more");
            Check(fork.Changes is not null && fork.Changes.All(c => Text(c, 10_000, multiline: false)), "fork.changes", "must be text without control characters");
            Check(spec.Branches == 1, "branches", "a fork has exactly one branch");
        }
        return p;
    }

    private static bool Finite(double d) => double.IsFinite(d) && d >= 0;

    private static bool Text(string? s, int max, bool multiline, bool allowEmpty = false) =>
        s is not null && (allowEmpty || s.Trim().Length > 0) && s.Length <= max
        && !s.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\t' or '\r'));

    /// <summary>A value quoted in a message: control characters dropped, so the message itself stays inert.</summary>
    private static string Shown(string? s) => s is null ? "" : new string(s.Where(c => !char.IsControl(c)).Take(80).ToArray());
}
