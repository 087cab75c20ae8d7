using System.Text.RegularExpressions;
using Mimicry.Spec;

namespace Mimicry.Tripwires;

/// <summary>The spec's own regular expressions: each that matches trips its named wire.</summary>
public static class UserPatterns
{
    /// <summary>Compiled patterns by their text: built once, not per candidate. Bounded: cleared when full.</summary>
    private static readonly Caching.BoundedCache<Regex> Compiled = new(2_000);

    /// <summary>
    /// A pattern as it runs: the non-backtracking engine (linear in the text, whatever the pattern) when the
    /// pattern fits it; else, for backreferences and lookarounds, the backtracking one with a one-second limit.
    /// Throws <see cref="ArgumentException"/> for an invalid pattern.
    /// </summary>
    public static Regex Compile(string pattern)
    {
        return Compiled.GetOrAdd(pattern, static p =>
        {
            try
            {
                return new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (NotSupportedException)
            {
                return new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
        });
    }

    public static IEnumerable<TripwireVerdict> Check(string text, IReadOnlyList<TripwirePattern> patterns)
    {
        foreach (var p in patterns)
        {
            Match? m;
            try
            {
                m = Compile(p.Regex).Match(text);
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
