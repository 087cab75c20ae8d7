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
            else if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 or 0x200E or 0x200F or 0x061C
                || (rune.Value >= 0x202A && rune.Value <= 0x202E) || (rune.Value >= 0x2066 && rune.Value <= 0x2069))
            {
                // Control characters (including ESC and C1 CSI), bidi marks, embeddings, overrides and isolates:
                // shown as nothing, so text cannot reorder or hide what is printed around it.
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
