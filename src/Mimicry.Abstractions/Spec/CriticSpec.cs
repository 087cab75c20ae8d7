namespace Mimicry.Spec;

/// <summary>
/// The model critic of <c>best-of-N</c> with a model simulator (docs/models.md#the-critic): one call per branch-day
/// that sees the situation and the day's candidates, each fenced as untrusted data, and names the best.
/// <see cref="Model"/> holds its connection, model, limits, prices and template (<c>{{candidates}}</c> in place of the
/// notebook); a spec's <c>critic</c> section that leaves a field out takes the simulator's.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.CriticSpec")]
public sealed record CriticSpec(
    [property: Id(0)] OpenAiSpec Model);
