using Mimicry.Prompts;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.Simulation;

namespace Mimicry.Models.OpenAi;

/// <summary>Counts the next day's prompt with the model's tokenizer (or the byte bound) against the window.</summary>
public sealed class OpenAiDigests : INotebookDigests
{
    public bool Due(LoopSpec spec, SessionRequest nextDay) =>
        spec.Simulator.OpenAi is { } openAi && ContextFit.NeedsDigest(openAi.Prompt, nextDay, openAi, TokenCounter.For(openAi.Model).Count);
}
