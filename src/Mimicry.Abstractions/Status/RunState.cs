namespace Mimicry.Status;

/// <summary>Where a loop or branch is in its life.</summary>
[GenerateSerializer, Alias("mimicry.RunState")]
public enum RunState
{
    Running,
    /// <summary>Ran every day, or solved its problem early.</summary>
    Completed,
    /// <summary>Stopped by a budget or a control; the reason says which.</summary>
    Stopped,
    Failed,
    /// <summary>Waiting for a person (the drift test fired); <c>mimicry resume</c> continues it.</summary>
    Paused,
}
