namespace Mimicry.Tripwires;

/// <summary>One detector's verdict on one text: whether it tripped, and why (the evidence, quoted inertly by callers).</summary>
public sealed record TripwireVerdict(string Detector, bool Tripped, string Detail);
