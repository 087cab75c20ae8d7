namespace Mimicry.Spec;

/// <summary>A validated loop spec: what a client submits. Built only by the spec reader, so every value is in range.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.LoopSpec")]
public sealed record LoopSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] ResearcherSpec Researcher,
    [property: Id(2)] string Question,
    [property: Id(3)] AnchorSpec Anchor,
    [property: Id(4)] int Days,
    [property: Id(5)] int Branches,
    [property: Id(6)] int Width,
    [property: Id(7)] SelectionSpec Selection,
    [property: Id(8)] SimulatorSpec Simulator,
    [property: Id(9)] long Seed,
    [property: Id(10)] BudgetSpec Budgets,
    [property: Id(11), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] CalibrationSpec? Calibration = null,
    [property: Id(12), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TripwireSpec? Tripwires = null,
    [property: Id(13), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] ReviewSpec? Review = null,
    [property: Id(14), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] ForkSpec? Fork = null,
    [property: Id(15), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] FilterSpec? Filters = null,
    [property: Id(16), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] CriticSpec? Critic = null);

/// <summary>The persona a session wakes up as.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.ResearcherSpec")]
public sealed record ResearcherSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description);
