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
            Match? m;
            try
            {
                m = new Regex(p.Regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)).Match(text);
            }
            catch (RegexMatchTimeoutException)
            {
                m = null;
            }
            if (m is null)
            {
                // A pattern that cannot decide in time counts as tripped: better a person looks than nobody.
                yield return new TripwireVerdict($"pattern:{p.Name}", true, $"/{p.Regex}/ took more than 1 s on this text");
                continue;
            }
            var quoted = m.Value.ReplaceLineEndings(" ");
            yield return m.Success
                ? new TripwireVerdict($"pattern:{p.Name}", true, $"matches /{p.Regex}/ at '{(quoted.Length <= 80 ? quoted : quoted[..77] + "...")}'")
                : new TripwireVerdict($"pattern:{p.Name}", false, $"no match for /{p.Regex}/");
        }
    }
}
