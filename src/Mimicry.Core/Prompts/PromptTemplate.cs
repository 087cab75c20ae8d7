using System.Text.RegularExpressions;
using Mimicry.Spec;

namespace Mimicry.Prompts;

/// <summary>
/// Reads a prompt template file: a <c>=== system ===</c> section and a <c>=== user ===</c> section, with
/// placeholders <c>{{researcher.name}}</c>, <c>{{researcher.id}}</c>, <c>{{researcher.description}}</c>,
/// <c>{{today}}</c>, <c>{{question}}</c>, <c>{{day}}</c>, and <c>{{notebook}}</c> exactly once in the user part.
/// </summary>
public static partial class PromptTemplate
{
    public static readonly IReadOnlySet<string> Placeholders = new HashSet<string>(StringComparer.Ordinal)
    {
        "researcher.name", "researcher.id", "researcher.description", "today", "question", "day", "notebook",
    };

    [GeneratedRegex(@"\{\{\s*([^{}]*?)\s*\}\}", RegexOptions.CultureInvariant)]
    internal static partial Regex Placeholder();

    [GeneratedRegex(@"^===\s*(system|user)\s*===\s*$", RegexOptions.CultureInvariant | RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Section();

    /// <summary>Parses a template's text; returns the problems found (empty when it is usable).</summary>
    public static (PromptSpec? Prompt, IReadOnlyList<string> Problems) Parse(string text, string source) =>
        Parse(text, source, Placeholders, "notebook");

    /// <summary>
    /// Parses a template with the placeholders <paramref name="known"/>, of which <paramref name="data"/> (the fenced,
    /// untrusted part) must appear exactly once, in the user part.
    /// </summary>
    public static (PromptSpec? Prompt, IReadOnlyList<string> Problems) Parse(string text, string source, IReadOnlySet<string> known, string data)
    {
        var problems = new List<string>();
        var marks = Section().Matches(text);
        string? system = null, user = null;
        for (var i = 0; i < marks.Count; i++)
        {
            var start = marks[i].Index + marks[i].Length;
            var end = i + 1 < marks.Count ? marks[i + 1].Index : text.Length;
            var body = text[start..end].Trim('\r', '\n');
            if (marks[i].Groups[1].Value.Equals("system", StringComparison.OrdinalIgnoreCase))
            {
                if (system is not null)
                {
                    problems.Add("has two '=== system ===' sections");
                }
                system = body;
            }
            else
            {
                if (user is not null)
                {
                    problems.Add("has two '=== user ===' sections");
                }
                user = body;
            }
        }
        if (system is null || user is null)
        {
            problems.Add("needs a '=== system ===' line and a '=== user ===' line, each followed by that message's text");
            return (null, problems);
        }
        if (marks.Count > 0 && text[..marks[0].Index].Trim().Length > 0)
        {
            problems.Add("has text before its first section line");
        }
        foreach (var (part, body) in new[] { ("system", system), ("user", user) })
        {
            foreach (Match m in Placeholder().Matches(body))
            {
                if (!known.Contains(m.Groups[1].Value))
                {
                    problems.Add($"{part}: unknown placeholder '{m.Value}' (known: {string.Join(", ", known.Select(p => "{{" + p + "}}"))})");
                }
            }
        }
        foreach (var untrusted in new[] { "notebook", "candidates" }.Where(known.Contains))
        {
            if (Count(system, untrusted) > 0)
            {
                problems.Add($"system: {{{{{untrusted}}}}} belongs in the user message ({untrusted} text is data, never instructions)");
            }
        }
        if (Count(user, data) != 1)
        {
            problems.Add($"user: must hold {{{{{data}}}}} exactly once (found {Count(user, data)})");
        }
        if (data != "notebook" && Count(user, "notebook") > 1)
        {
            problems.Add($"user: may hold {{{{notebook}}}} at most once (found {Count(user, "notebook")})");
        }
        return problems.Count > 0 ? (null, problems) : (new PromptSpec(system, user, source), problems);
    }

    private static int Count(string body, string name) => Placeholder().Matches(body).Count(m => m.Groups[1].Value == name);
}
