using System.Globalization;

namespace Mimicry.Synthetic;

/// <summary>Names of the alphabet's symbols: a–z when it has at most 26, else s0, s1, ….</summary>
public static class Symbols
{
    public static string Name(int symbol, int alphabet) =>
        alphabet <= 26 ? ((char)('a' + symbol)).ToString() : "s" + symbol.ToString(CultureInfo.InvariantCulture);

    public static int Parse(string text) =>
        text.Length == 1 && text[0] is >= 'a' and <= 'z' ? text[0] - 'a'
        : text.Length > 1 && text[0] == 's' && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : -1;
}
