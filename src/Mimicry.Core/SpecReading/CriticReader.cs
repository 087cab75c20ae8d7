using Mimicry.Prompts;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>Reads the optional <c>critic</c> section: the model critic of best-of-N (docs/models.md#the-critic).</summary>
internal static class CriticReader
{
    /// <returns>null when invalid; otherwise the spec (itself null when the section is absent).</returns>
    public static (CriticSpec? Spec, bool Ok)? Read(SpecFields? f, bool present, SimulatorSpec? simulator, SpecContext context)
    {
        if (f is null)
        {
            return present ? null : (null, true);
        }
        if (simulator is null)
        {
            return null; // the simulator's own problems are reported; the critic inherits from it
        }
        if (simulator.OpenAi is not { } model)
        {
            f.Errors.Add($"critic: a model critic goes with simulator kind openai (the {simulator.Kind} simulator has its own)");
            return null;
        }
        var critic = OpenAiReader.ReadModel(f, context, model, (ff, ctx) => OpenAiReader.ReadTemplate(ff, ctx, CriticPrompt.Default, CriticPrompt.Parse));
        return critic is null ? null : (new CriticSpec(critic), true);
    }
}
