using System.Globalization;
using Mimicry.Selection;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>
/// Builds the spec of a fork: one branch that starts from the first <c>fromDay</c> days of a parent's branch, with
/// changed settings (<c>--set path=value</c>). The fork inherits the parent branch's share of every budget (its ledger
/// includes the inherited days), so forking never buys more budget. Every problem is reported, as a spec's are.
/// </summary>
public static class ForkBuilder
{
    /// <summary>The settings <c>--set</c> may change, with what each takes.</summary>
    public static readonly IReadOnlyList<string> Settable =
        ["seed", "width", "selection", "days", "question", "anchor.time", "simulator.temperature", "simulator.model"];

    /// <summary>Bits for one more timeline from a point that already has <paramref name="timelines"/> (the parent's branch counts as one).</summary>
    public static double Charge(int timelines) => Bits.OneOf(timelines + 1) - Bits.OneOf(timelines);

    public static LoopSpec Build(LoopSpec parent, int branch, int fromDay, int committedDays, string name, IReadOnlyList<string> sets, int timelines, DateTimeOffset now)
    {
        var errors = new List<string>();
        if (branch < 0 || branch >= parent.Branches)
        {
            errors.Add($"--branch: must be between 0 and {parent.Branches - 1} for loop '{parent.Name}' (got {branch})");
        }
        else if (fromDay < 0 || fromDay > committedDays)
        {
            errors.Add($"--from-day: must be between 0 and {committedDays}, the days branch {branch} of '{parent.Name}' has committed (got {fromDay})");
        }
        if (!SpecReader.IsSlug(name))
        {
            errors.Add($"--name: must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (got '{name}')");
        }
        var share = BranchBudget.For(parent);
        var spec = parent with
        {
            Name = name,
            Branches = 1,
            Budgets = new BudgetSpec(share.MaxSessions, share.MaxBits, share.MaxTokens, share.MaxCost),
        };
        var changes = new List<string>();
        foreach (var set in sets)
        {
            var eq = set.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                errors.Add($"--set: expected path=value (got '{set}')");
                continue;
            }
            var (path, value) = (set[..eq].Trim(), set[(eq + 1)..].Trim());
            var changed = Apply(spec, path, value, out var problem);
            if (problem is not null)
            {
                errors.Add($"--set {path}: {problem}");
                continue;
            }
            spec = changed!;
            changes.Add($"{path}={value}");
        }
        if (spec.Selection.Kind == SelectionKind.BestOfN && spec.Selection.N != spec.Width)
        {
            errors.Add($"--set: best-of-{spec.Selection.N} needs width {spec.Selection.N} (width is {spec.Width}); set both width and selection");
        }
        if (spec.Selection.Kind != SelectionKind.BestOfN && spec.Critic is not null)
        {
            spec = spec with { Critic = null }; // the parent's critic has nothing to choose in the fork
        }
        else if (spec.Simulator.Kind == "openai" && spec.Selection.Kind == SelectionKind.BestOfN && spec.Critic is null)
        {
            errors.Add("--set selection: best-of-N with an openai simulator needs a critic, and the parent loop has none");
        }
        if (spec.Selection.Kind != SelectionKind.FirstValid && spec.Filters is not null)
        {
            // The filters were the parent's validity test; a fork that keeps every candidate or picks the best has no use for them.
            spec = spec with { Filters = null };
        }
        else if (spec.Simulator.Kind == "openai" && spec.Selection.Kind == SelectionKind.FirstValid && spec.Filters is null)
        {
            errors.Add("--set selection: first-valid with an openai simulator needs filters, and the parent loop has none");
        }
        if (spec.Days <= fromDay && errors.Count == 0)
        {
            errors.Add($"--set days: the fork would have nothing to do: days ({spec.Days}) must be more than --from-day ({fromDay})");
        }
        if (SpecReader.FutureAnchorProblem(spec.Anchor, spec.Days, now) is { } future)
        {
            errors.Add($"--set anchor.time: {future}");
        }
        if (errors.Count > 0)
        {
            throw new SpecException([.. errors]);
        }
        timelines = Math.Max(1, timelines);
        return spec with { Fork = new ForkSpec(parent.Name, branch, fromDay, Charge(timelines), changes, timelines) };
    }

    private static LoopSpec? Apply(LoopSpec spec, string path, string value, out string? problem)
    {
        problem = null;
        var inv = CultureInfo.InvariantCulture;
        switch (path)
        {
            case "seed" when long.TryParse(value, NumberStyles.None, inv, out var seed):
                return spec with { Seed = seed };
            case "width" when int.TryParse(value, NumberStyles.None, inv, out var width) && width is >= 1 and <= SpecReader.MaxWidth:
                return spec with { Width = width };
            case "days" when int.TryParse(value, NumberStyles.None, inv, out var days) && days is >= 1 and <= SpecReader.MaxDays:
                return spec with { Days = days };
            case "selection":
                var selection = SpecReader.ParseSelection(value, null, out problem);
                return selection is null ? null : spec with { Selection = selection };
            case "question" when value.Length > 0:
                return spec with { Question = value };
            case "anchor.time" when spec.Anchor.Policy == AnchorPolicy.Follow:
                problem = "a follow anchor has no time (it is the wall clock minus the lag)";
                return null;
            case "anchor.time" when DateTimeOffset.TryParse(value, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time):
                return spec with { Anchor = spec.Anchor with { Time = time } };
            case "simulator.temperature" or "simulator.model" when spec.Simulator.OpenAi is null:
                problem = $"only an openai simulator has it (this loop's is {spec.Simulator.Kind})";
                return null;
            case "simulator.temperature" when double.TryParse(value, NumberStyles.Float, inv, out var t) && t is >= 0 and <= 2:
                return spec with { Simulator = spec.Simulator with { OpenAi = spec.Simulator.OpenAi! with { Temperature = t } } };
            case "simulator.model" when value.Length > 0:
                return spec with { Simulator = spec.Simulator with { OpenAi = spec.Simulator.OpenAi! with { Model = value } } };
        }
        problem = path switch
        {
            "seed" => $"must be a whole number from 0 (got '{value}')",
            "width" => $"must be a whole number from 1 to {SpecReader.MaxWidth} (got '{value}')",
            "days" => $"must be a whole number from 1 to {SpecReader.MaxDays} (got '{value}')",
            "question" => "must not be empty",
            "anchor.time" => $"must be an ISO 8601 time such as 2026-11-01T09:00:00Z (got '{value}')",
            "simulator.temperature" => $"must be a number from 0 to 2 (got '{value}')",
            "simulator.model" => "must not be empty",
            _ => $"cannot be changed by a fork; these can: {string.Join(", ", Settable)}",
        };
        return null;
    }
}
