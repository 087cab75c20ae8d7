namespace Mimicry.Tripwires;

/// <summary>One detector's verdict on one text: whether it tripped, and why (the evidence, quoted inertly by callers).</summary>
[GenerateSerializer, Immutable, Alias("mimicry.TripwireVerdict")]
public sealed record TripwireVerdict(
    [property: Id(0)] string Detector,
    [property: Id(1)] bool Tripped,
    [property: Id(2)] string Detail);
