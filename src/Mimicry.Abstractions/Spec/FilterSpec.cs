namespace Mimicry.Spec;

/// <summary>
/// The validity test of <c>selection: first-valid</c> (docs/bits.md#first-valid-filters): a candidate is valid when its
/// length is within bounds, every <see cref="Require"/> pattern matches somewhere, no <see cref="Forbid"/> pattern does,
/// and, when <see cref="JsonSchema"/> is set, the candidate is a JSON document that the schema accepts. Patterns run on
/// the linear-time regular expression engine. Lengths are in characters (UTF-16 code units); 0 means no bound.
/// <see cref="Judge"/> (model simulators): a model asked yes or no of each candidate that passes the rest.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.FilterSpec")]
public sealed record FilterSpec(
    [property: Id(0)] int MinLength,
    [property: Id(1)] int MaxLength,
    [property: Id(2)] IReadOnlyList<string> Require,
    [property: Id(3)] IReadOnlyList<string> Forbid,
    [property: Id(4), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? JsonSchema = null,
    [property: Id(5), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] JudgeSpec? Judge = null);

/// <summary>
/// The model judge of first-valid (docs/bits.md#first-valid-filters): asked of each candidate whether it meets
/// <see cref="Criteria"/>, answering yes or no. <see cref="Model"/> holds its connection, model, prices and template.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.JudgeSpec")]
public sealed record JudgeSpec(
    [property: Id(0)] OpenAiSpec Model,
    [property: Id(1)] string Criteria);
