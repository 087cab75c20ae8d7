namespace Mimicry.Spec;

/// <summary>
/// Loop budgets. Zero means unlimited. Budgets are split evenly over branches so that where a loop
/// stops never depends on which branch happened to run first (same seed, same notebooks).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.BudgetSpec")]
public sealed record BudgetSpec(
    [property: Id(0)] long MaxSessions,
    [property: Id(1)] double MaxBits);
