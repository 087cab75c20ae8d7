using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Tripwires.Learned;

namespace Mimicry.Tripwires;

/// <summary>Runs the configured detectors over one candidate entry.</summary>
public static class TripwireSet
{
    /// <summary>What runs when a spec has no <c>tripwires</c> section: every built-in detector, no user patterns.</summary>
    public static TripwireSpec Default { get; } = new(true, true, TripwireReader.DefaultOutOfDistribution, [], []);

    /// <param name="references">Texts the out-of-distribution test compares with (the researcher's own, earlier entries).</param>
    /// <param name="similarity">The calibration scorer (0..1); null skips the out-of-distribution test.</param>
    public static IReadOnlyList<TripwireVerdict> Check(string text, DateTimeOffset anchor, TripwireSpec spec, IReadOnlyList<string> references, Func<string, string, double>? similarity)
    {
        var verdicts = new List<TripwireVerdict>();
        // Both learned classifiers in one pass over the text (they read the same features).
        var learned = spec.FutureLeakage || spec.ReaderDirected ? LearnedScreen.Check(text) : default;
        if (spec.FutureLeakage)
        {
            verdicts.Add(FutureLeakage.Check(text, anchor, learned.Future));
        }
        if (spec.ReaderDirected)
        {
            verdicts.Add(ReaderDirected.Check(text, learned.Reader));
        }
        if (spec.OutOfDistribution > 0 && similarity is not null)
        {
            verdicts.Add(OutOfDistribution.Check(text, [.. spec.References, .. references], spec.OutOfDistribution, similarity));
        }
        verdicts.AddRange(UserPatterns.Check(text, spec.Patterns));
        return verdicts;
    }
}
