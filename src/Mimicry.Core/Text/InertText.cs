using System.Text;

namespace Mimicry.Text;

/// <summary>
/// Notebook text came from a model and is untrusted. Before it reaches a terminal, control characters and
/// escape sequences are removed so it cannot move the cursor, recolour, retitle or hide other output.
/// </summary>
public static class InertText
{
    public static string ForTerminal(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '\n' or '\t')
            {
                sb.Append((char)rune.Value);
            }
            else if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 || (rune.Value >= 0x202A && rune.Value <= 0x202E) || (rune.Value >= 0x2066 && rune.Value <= 0x2069))
            {
                // Control characters (including ESC and C1 CSI) and bidi overrides: shown as nothing.
                continue;
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }
        return sb.ToString();
    }
}
