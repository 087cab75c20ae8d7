namespace Mimicry.Spec;

/// <summary>How each day's anchor time is chosen.</summary>
[GenerateSerializer, Alias("mimicry.AnchorPolicy")]
public enum AnchorPolicy
{
    /// <summary>Every day wakes at <see cref="AnchorSpec.Time"/>.</summary>
    Fixed,
    /// <summary>Starts at <see cref="AnchorSpec.Time"/> and advances by <see cref="AnchorSpec.Step"/> every <see cref="AnchorSpec.EveryDays"/> days.</summary>
    Stepped,
    /// <summary>Wall clock minus <see cref="AnchorSpec.Lag"/> when the day starts.</summary>
    Follow,
}

/// <summary>The anchor policy and its parameters; fields a policy does not use are zero.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.AnchorSpec")]
public sealed record AnchorSpec(
    [property: Id(0)] AnchorPolicy Policy,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] TimeSpan Step,
    [property: Id(3)] int EveryDays,
    [property: Id(4)] TimeSpan Lag,
    [property: Id(5)] bool AllowFutureAnchor);
