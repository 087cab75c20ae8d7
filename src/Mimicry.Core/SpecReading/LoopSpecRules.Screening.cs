using System.Globalization;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>The rules for what screens candidates: first-valid's filters and the tripwires.</summary>
public static partial class LoopSpecRules
{
    private static void CheckFilters(LoopSpec spec, bool inlineBackends, List<string> p)
    {
        if (spec.Filters is not { } f)
        {
            if (spec.Simulator?.Kind == "openai" && spec.Selection?.Kind == SelectionKind.FirstValid)
            {
                p.Add("selection: first-valid with simulator openai needs a validity test (filters)");
            }
            return;
        }
        if (spec.Selection?.Kind != SelectionKind.FirstValid)
        {
            p.Add($"filters: apply only to selection first-valid (this loop's is {spec.Selection})");
        }
        if (f.MinLength < 0 || f.MaxLength < 0 || (f.MaxLength > 0 && f.MinLength > f.MaxLength))
        {
            p.Add("filters: minLength and maxLength must be 0 or more, minLength at most maxLength");
        }
        foreach (var (list, name) in new[] { (f.Require, "require"), (f.Forbid, "forbid") })
        {
            if (list is null || list.Count > Selection.CandidateFilter.MaxPatterns)
            {
                p.Add($"filters.{name}: must be a list of at most {Selection.CandidateFilter.MaxPatterns} patterns");
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                var problem = list[i] is null ? "must be a pattern" : Selection.CandidateFilter.PatternProblem(list[i]);
                if (problem is not null)
                {
                    p.Add($"filters.{name}[{i}]: {problem}");
                }
            }
        }
        if (f.JsonSchema is { } schema && Selection.CandidateFilter.SchemaProblem(schema) is { } schemaProblem)
        {
            p.Add($"filters.jsonSchema: {schemaProblem}");
        }
        if (f.Judge is { } judge)
        {
            CheckJudge(spec, judge, "filters.judge", inlineBackends, p);
        }
    }

    // The tripwires section as the reader bounds it: user patterns are compiled on the silos, so their number, size
    // and syntax are checked here too, not only in the CLI.
    private static void CheckTripwires(LoopSpec spec, bool inlineBackends, List<string> p)
    {
        if (spec.Tripwires is not { } t)
        {
            return;
        }
        if (!(t.OutOfDistribution is >= 0 and <= 1))
        {
            p.Add($"tripwires.outOfDistribution: must be between 0 and 1 (got {t.OutOfDistribution.ToString(CultureInfo.InvariantCulture)})");
        }
        if (t.References is null || !t.References.All(r => Text(r, 100_000, multiline: true)))
        {
            p.Add("tripwires.references: must be non-empty texts without control characters");
        }
        if (t.Patterns is null || t.Patterns.Count > TripwireReader.MaxPatterns)
        {
            p.Add($"tripwires.patterns: at most {TripwireReader.MaxPatterns} patterns");
        }
        else
        {
            for (var i = 0; i < t.Patterns.Count; i++)
            {
                var pattern = t.Patterns[i];
                if (pattern is null || !Text(pattern.Name, 64, multiline: false) || pattern.Regex is null || pattern.Regex.Length is 0 or > TripwireReader.MaxPatternLength)
                {
                    p.Add($"tripwires.patterns[{i}]: needs a name (1-64 characters) and a regex (1-{TripwireReader.MaxPatternLength} characters)");
                    continue;
                }
                try
                {
                    _ = Tripwires.UserPatterns.Compile(pattern.Regex);
                }
                catch (ArgumentException ex)
                {
                    p.Add($"tripwires.patterns[{i}].regex: is not a valid regular expression ({ex.Message.TrimEnd('.')})");
                }
            }
        }
        if (t.ModelJudge is { } judge)
        {
            CheckJudge(spec, judge, "tripwires.modelJudge", inlineBackends, p);
        }
    }
}
