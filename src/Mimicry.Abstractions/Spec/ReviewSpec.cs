namespace Mimicry.Spec;

/// <summary>What happens to a day's candidates when a reviewer rejects them (docs/reviews.md).</summary>
[GenerateSerializer, Alias("mimicry.RejectPolicy")]
public enum RejectPolicy
{
    /// <summary>Discard the candidates and run the day again with fresh session randomness (a re-roll, charged in bits).</summary>
    Rerun,

    /// <summary>Discard the candidates and stop the branch.</summary>
    Stop,
}

/// <summary>
/// Review gates: every <see cref="EveryDays"/> days (0: never; tripwire hits still go to review) a branch's day waits
/// for a person before it reaches the notebook. With <see cref="Top"/> (best-of-N only; 0: off) every day waits, and
/// the critic's top k of the N candidates are offered to the reviewer to pick from instead of an automatic choice.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.ReviewSpec")]
public sealed record ReviewSpec(
    [property: Id(0)] int EveryDays,
    [property: Id(1)] RejectPolicy OnReject,
    [property: Id(2), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] int Top = 0);
