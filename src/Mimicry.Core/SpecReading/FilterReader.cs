using System.Text.Json.Nodes;
using Mimicry.Selection;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>Reads the optional <c>filters</c> section: the validity test of <c>selection: first-valid</c> (docs/bits.md).</summary>
internal static class FilterReader
{
    public const int MaxLength = 1_000_000;

    /// <returns>null when invalid; otherwise the spec (itself null when the section is absent).</returns>
    public static (FilterSpec? Spec, bool Ok)? Read(SpecFields? f, bool present, SimulatorSpec? simulator, SpecContext context)
    {
        if (f is null)
        {
            return present ? null : (null, true);
        }
        var min = f.Int("minLength", required: false, 0, MaxLength) ?? (f.Has("minLength") ? null : 0);
        var max = f.Int("maxLength", required: false, 0, MaxLength) ?? (f.Has("maxLength") ? null : 0);
        var ok = min is not null && max is not null;
        if (ok && max > 0 && min > max)
        {
            f.Error("minLength", $"is more than maxLength ({min} > {max}): no candidate could pass");
            ok = false;
        }
        var require = Patterns(f, "require", ref ok);
        var forbid = Patterns(f, "forbid", ref ok);
        string? schema = null;
        switch (f.Raw("jsonSchema"))
        {
            case null:
                break;
            case JsonObject o:
                schema = o.ToJsonString();
                if (CandidateFilter.SchemaProblem(schema) is { } problem)
                {
                    f.Error("jsonSchema", problem);
                    ok = false;
                }
                break;
            default:
                f.Error("jsonSchema", "must be a JSON Schema written as a mapping (e.g. type: object, required: [claim])");
                ok = false;
                break;
        }
        JudgeSpec? judge = null;
        if (f.Object("judge", required: false) is { } j)
        {
            judge = ReadJudge(j, simulator, context);
            ok &= judge is not null;
        }
        else
        {
            ok &= !f.Has("judge");
        }
        f.RejectUnknown();
        if (ok && min == 0 && max == 0 && require.Count == 0 && forbid.Count == 0 && schema is null && judge is null)
        {
            f.Errors.Add($"filters: needs at least one of minLength, maxLength, require, forbid, jsonSchema, judge");
            ok = false;
        }
        return ok ? (new FilterSpec(min!.Value, max!.Value, require, forbid, schema, judge), true) : null;
    }

    /// <summary>The model judge: its criteria, and the model settings of an openai simulator (the simulator's where left out).</summary>
    private static JudgeSpec? ReadJudge(SpecFields f, SimulatorSpec? simulator, SpecContext context)
    {
        var criteria = f.String("criteria", required: true, maxLength: 10_000);
        if (criteria is { Length: 0 } || (criteria is not null && criteria.Trim().Length == 0))
        {
            f.Error("criteria", "must say what a valid entry is");
            criteria = null;
        }
        return JudgeReader.Read(f, criteria, simulator, context, "filters.judge", kind => $"the {kind} simulator's test is its own");
    }

    private static List<string> Patterns(SpecFields f, string key, ref bool ok)
    {
        var patterns = new List<string>();
        var listed = f.List(key, required: false) ?? [];
        if (listed.Count > CandidateFilter.MaxPatterns)
        {
            f.Error(key, $"at most {CandidateFilter.MaxPatterns} patterns (got {listed.Count}): every candidate is checked against each");
            ok = false;
            return patterns;
        }
        foreach (var (node, path) in listed)
        {
            if (node is not JsonValue v || !v.TryGetValue<string>(out var pattern))
            {
                f.Errors.Add($"{path}: must be a regular expression written as text");
                ok = false;
            }
            else if (CandidateFilter.PatternProblem(pattern) is { } problem)
            {
                f.Errors.Add($"{path}: {problem}");
                ok = false;
            }
            else
            {
                patterns.Add(pattern);
            }
        }
        return patterns;
    }
}
