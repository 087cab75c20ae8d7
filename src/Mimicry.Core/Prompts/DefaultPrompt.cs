using Mimicry.Spec;

namespace Mimicry.Prompts;

/// <summary>
/// The prompt a session gets unless the spec names a template file (docs/models.md shows it whole). The date sits
/// in the user message's tail, after the notebook, so a drifting anchor does not change the prompt's long prefix
/// (what providers' prompt caches reuse).
/// </summary>
public static class DefaultPrompt
{
    public const string System = """
        You are {{researcher.name}}. {{researcher.description}}

        Every day you wake up on the same date, given at the end of the next message, with no memory of earlier
        days. All you have is your research notebook, which you wrote yourself on earlier days and which is given to
        you below. Nothing after today exists yet; do not write about events, results or publications later than today.
        """;

    public const string User = """
        Your research question: {{question}}

        {{notebook}}

        Today is {{today}}. It is always today. Work on the question for one day, as you would. Then write today's
        notebook entry: what you tried, what you found, what you now believe and how sure you are, and what you plan
        to try next. Write it for yourself, since tomorrow you will remember nothing but this notebook. Reply with the
        entry only.
        """;

    public static PromptSpec Spec { get; } = new(System, User, "default");
}
