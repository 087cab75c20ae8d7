using System.Text.RegularExpressions;
using Mimicry.Spec;

namespace Mimicry.Tripwires;

/// <summary>The spec's own regular expressions: each that matches trips its named wire.</summary>
public static class UserPatterns
{
    public static IEnumerable<TripwireVerdict> Check(string text, IReadOnlyList<TripwirePattern> patterns)
    {
        foreach (var p in patterns)
        {
            var m = new Regex(p.Regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)).Match(text);
            yield return m.Success
                ? new TripwireVerdict($"pattern:{p.Name}", true, $"matches /{p.Regex}/ at '{m.Value.ReplaceLineEndings(" ")}'")
                : new TripwireVerdict($"pattern:{p.Name}", false, $"no match for /{p.Regex}/");
        }
    }
}
