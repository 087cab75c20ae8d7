namespace Mimicry.Spec;

/// <summary>
/// Loop budgets. Zero means unlimited. Tokens and cost (in the price table's currency) count every session a
/// model served, chosen or not; they are left out of the canonical JSON when zero, so older specs keep their hash. Budgets are split evenly over branches so that where a loop
/// stops never depends on which branch happened to run first (same seed, same notebooks).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.BudgetSpec")]
public sealed record BudgetSpec(
    [property: Id(0)] long MaxSessions,
    [property: Id(1)] double MaxBits,
    [property: Id(2), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] long MaxTokens = 0,
    [property: Id(3), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] double MaxCost = 0,
    [property: Id(4), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] double MaxBitsPerBranch = 0);
