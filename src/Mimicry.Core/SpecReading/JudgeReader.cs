using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>
/// The model settings of a yes/no judge (<c>filters.judge</c>, <c>tripwires.modelJudge</c>): those of an openai
/// simulator, the simulator's where left out, with the judge's prompt template. Each caller reads its own criteria.
/// </summary>
internal static class JudgeReader
{
    /// <param name="field">The judge's field, for the refusal of a simulator without a model.</param>
    /// <param name="whyNot">What that refusal adds about the simulator kind it got.</param>
    public static JudgeSpec? Read(SpecFields f, string? criteria, SimulatorSpec? simulator, SpecContext context, string field, Func<string, string> whyNot)
    {
        if (simulator is null)
        {
            return null;
        }
        if (simulator.OpenAi is not { } model)
        {
            f.Errors.Add($"{field}: a model judge goes with simulator kind openai ({whyNot(simulator.Kind)})");
            return null;
        }
        var judge = OpenAiReader.ReadModel(f, context, model, (ff, ctx) => OpenAiReader.ReadTemplate(ff, ctx, Prompts.JudgePrompt.Default, Prompts.JudgePrompt.Parse));
        return judge is null || criteria is null ? null : new JudgeSpec(judge, criteria);
    }
}
