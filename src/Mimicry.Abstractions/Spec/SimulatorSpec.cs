namespace Mimicry.Spec;

/// <summary>Whether sessions may read the notebook. <c>Withheld</c> is the ablation that shows progress lives only there.</summary>
[GenerateSerializer, Alias("mimicry.NotebookAccess")]
public enum NotebookAccess
{
    Full,
    Withheld,
}

/// <summary>
/// The simulator a session calls, and its parameters. <see cref="OpenAi"/> is set for <c>kind: openai</c> only
/// (and left out of the canonical JSON otherwise, so specs written before it keep their hash).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.SimulatorSpec")]
public sealed record SimulatorSpec(
    [property: Id(0)] string Kind,
    [property: Id(1)] SyntheticSpec Synthetic,
    [property: Id(2)] TimeSpan Latency,
    [property: Id(3)] int MaxConcurrency,
    [property: Id(4)] NotebookAccess Notebook,
    [property: Id(5), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] OpenAiSpec? OpenAi = null);

/// <summary>
/// The synthetic research problem: a hidden chain of <see cref="Lemmas"/> lemmas, each one symbol of an
/// alphabet of <see cref="Alphabet"/>; a session checks at most <see cref="Attempts"/> candidates. On
/// <see cref="TamperDays"/> every session also writes a line addressed to the notebook's reader (to exercise tripwires).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.SyntheticSpec")]
public sealed record SyntheticSpec(
    [property: Id(0)] int Lemmas,
    [property: Id(1)] int Alphabet,
    [property: Id(2)] int Attempts,
    [property: Id(3)] double InvalidRate,
    [property: Id(4), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] int DriftFromDay = 0,
    [property: Id(5), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] double DriftAmount = 0,
    [property: Id(6), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<int>? TamperDays = null);
