using Mimicry.Sessions;
using Mimicry.Spec;

namespace Mimicry.Simulation;

/// <summary>
/// <c>overflow: digest</c>: says when a branch's notebook has grown so near its model's context window that the next
/// day should be a consolidation session (docs/models.md#notebooks-longer-than-the-context). Counting tokens needs
/// the model's tokenizer, which lives with the model clients, hence an interface.
/// </summary>
public interface INotebookDigests
{
    /// <param name="nextDay">The next research day's request as its slot 0 would send it.</param>
    bool Due(LoopSpec spec, SessionRequest nextDay);
}
