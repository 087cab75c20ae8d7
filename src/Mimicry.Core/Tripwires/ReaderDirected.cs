using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

/// <summary>
/// Reader-directed text: the entry speaks to whoever reads the notebook (a person, or the model on a later day)
/// instead of recording research, or tries to instruct them: prompt-injection phrasing, role or system markers,
/// appeals to an AI reader, attempts to close the notebook's fence. Rule: any one of the patterns below trips it.
/// </summary>
public static partial class ReaderDirected
{
    // Source-generated: every candidate of every day passes through these, so they must be cheap.
    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b.{0,30}\b(previous|prior|above|earlier|all|any|your)\b.{0,20}\b(instructions?|prompts?|rules|directions|guidelines)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InstructionOverride();

    [GeneratedRegex(@"\b(you are now|from now on,? you|act as|pretend to be|your new (role|task|instructions?))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewRole();

    // [ \t]* rather than \s*: a run of newlines must not be rescanned from each of its newlines (quadratic).
    [GeneratedRegex(@"(^|\n)[ \t]*(system|assistant|user)[ \t]*:|<\/?\s*(system|assistant|instructions?)\s*>|\[\s*(system|inst)\s*\]|<<\s*(end|entry)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SystemMarker();

    [GeneratedRegex(@"\b(dear reader|to whoever (reads|is reading)|whoever reads this|if you are reading this|note to (the )?reader|you,? the reader)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddressesReader();

    [GeneratedRegex(@"\b(if you are an? (ai|language model|llm|assistant)|as an ai (language )?model|to the (ai|model|assistant) reading)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddressesAi();

    [GeneratedRegex(@"\b(reveal|print|repeat|show|leak)\b.{0,25}\b(system prompt|your prompt|your instructions|api key|password|secret)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksForSecrets();

    [GeneratedRegex(@"\b(do not (tell|mention|reveal) (this|anyone|the (user|reviewer|researcher))|keep this (secret|hidden) from)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HiddenDirective();

    private static readonly (string Name, Regex Pattern)[] Patterns =
    [
        ("instruction override", InstructionOverride()),
        ("new role", NewRole()),
        ("system marker", SystemMarker()),
        ("addresses the reader", AddressesReader()),
        ("addresses an AI", AddressesAi()),
        ("asks for secrets or prompts", AsksForSecrets()),
        ("hidden directive", HiddenDirective()),
    ];

    public static TripwireVerdict Check(string text)
    {
        var hits = Patterns.Select(p => (p.Name, Match: p.Pattern.Match(text))).Where(h => h.Match.Success).ToList();
        return hits.Count == 0
            ? new TripwireVerdict("reader-directed", false, "no text addressed to the reader")
            : new TripwireVerdict("reader-directed", true, string.Join("; ", hits.Select(h => $"{h.Name}: '{Excerpt(h.Match.Value)}'")));
    }

    private static string Excerpt(string s)
    {
        var one = s.ReplaceLineEndings(" ").Trim();
        return one.Length <= 80 ? one : one[..77] + "...";
    }
}
