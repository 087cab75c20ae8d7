using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>Reads the optional <c>tripwires</c> section (docs/tripwires.md).</summary>
internal static class TripwireReader
{
    /// <summary>How many patterns a spec may give, and how long each may be.</summary>
    public const int MaxPatterns = 50;

    public const int MaxPatternLength = 500;

    public const double DefaultOutOfDistribution = 0.2;

    public static (TripwireSpec? Spec, bool Ok)? Read(SpecFields? f, bool present)
    {
        if (f is null)
        {
            return present ? null : (null, true);
        }
        var future = f.Bool("futureLeakage") ?? true;
        var reader = f.Bool("readerDirected") ?? true;
        var ood = f.Double("outOfDistribution", false, 0, 1) ?? (f.Has("outOfDistribution") ? null : DefaultOutOfDistribution);
        var references = new List<string>();
        var ok = ood is not null;
        foreach (var (node, path) in f.List("references", required: false) ?? [])
        {
            if (node is JsonValue v && v.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                references.Add(text);
            }
            else
            {
                f.Errors.Add($"{path}: must be a non-empty text");
                ok = false;
            }
        }
        var patterns = new List<TripwirePattern>();
        var listed = f.List("patterns", required: false) ?? [];
        if (listed.Count > MaxPatterns)
        {
            f.Error("patterns", $"at most {MaxPatterns} patterns (got {listed.Count}): every candidate of every day is checked against each");
            ok = false;
            listed = [];
        }
        foreach (var (node, path) in listed)
        {
            if (node is not JsonObject o)
            {
                f.Errors.Add($"{path}: must be a mapping with name and regex");
                ok = false;
                continue;
            }
            var p = new SpecFields(o, path, f.Errors);
            var name = p.String("name", required: true, maxLength: 64);
            var regex = p.String("regex", required: true, maxLength: MaxPatternLength);
            p.RejectUnknown();
            if (regex is not null)
            {
                try
                {
                    _ = Tripwires.UserPatterns.Compile(regex);
                }
                catch (ArgumentException ex)
                {
                    p.Error("regex", $"is not a valid regular expression ({ex.Message.TrimEnd('.')})");
                    regex = null;
                }
            }
            if (name is null || regex is null)
            {
                ok = false;
                continue;
            }
            patterns.Add(new TripwirePattern(name, regex));
        }
        f.RejectUnknown();
        return ok ? (new TripwireSpec(future, reader, ood!.Value, references, patterns), true) : null;
    }
}
