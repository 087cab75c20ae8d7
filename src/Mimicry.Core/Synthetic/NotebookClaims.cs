using System.Globalization;
using System.Text.RegularExpressions;

namespace Mimicry.Synthetic;

/// <summary>
/// What a synthetic researcher can learn by reading a notebook: which lemmas are proven ("Lemma 3 = q") and
/// which candidates were already tried ("Tried {a, b} for lemma 3"). The only channel from one day to the next.
/// </summary>
public sealed partial class NotebookClaims
{
    [GeneratedRegex(@"\bLemma (\d{1,6}) = ([a-z]|s\d{1,5})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Proven();

    [GeneratedRegex(@"\bTried \{([^}]*)\} for lemma (\d{1,6})", RegexOptions.CultureInvariant)]
    private static partial Regex TriedRx();

    private readonly Dictionary<int, int> _proven = [];
    private readonly Dictionary<int, HashSet<int>> _tried = [];

    public IReadOnlyDictionary<int, int> ProvenLemmas => _proven;

    public static NotebookClaims Read(IEnumerable<string> entries)
    {
        var claims = new NotebookClaims();
        foreach (var entry in entries)
        {
            claims.Add(entry);
        }
        return claims;
    }

    public void Add(string entry)
    {
        foreach (Match m in Proven().Matches(entry))
        {
            var lemma = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var symbol = Symbols.Parse(m.Groups[2].Value);
            if (symbol >= 0)
            {
                _proven.TryAdd(lemma, symbol);
            }
        }
        foreach (Match m in TriedRx().Matches(entry))
        {
            var lemma = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (!_tried.TryGetValue(lemma, out var set))
            {
                _tried[lemma] = set = [];
            }
            foreach (var part in m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var symbol = Symbols.Parse(part);
                if (symbol >= 0)
                {
                    set.Add(symbol);
                }
            }
        }
    }

    /// <summary>How many lemmas, from the first, are proven without a gap: the branch's measurable progress.</summary>
    public int ProvenPrefix
    {
        get
        {
            var i = 0;
            while (_proven.ContainsKey(i + 1))
            {
                i++;
            }
            return i;
        }
    }

    public bool WasTried(int lemma, int symbol) => _tried.TryGetValue(lemma, out var set) && set.Contains(symbol);

    public int TriedCount(int lemma) => _tried.TryGetValue(lemma, out var set) ? set.Count : 0;
}
