using Mimicry.Probes;
using Mimicry.SpecReading;
using Mimicry.UnitTests.Specs;

namespace Mimicry.UnitTests.Calibration;

public sealed class CalibrationSpecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    private static string Yaml(string calibration, string simulator = "") =>
        TestSpec.Yaml($"branches: 4\n{simulator}\ncalibration:\n{calibration}", selection: null, width: null, days: 30, name: "c");

    [Fact]
    public void ASection_IsRead_WithDefaults_AndLeftOutOfSpecsWithoutIt()
    {
        var spec = SpecReader.Parse("c.yaml", Yaml("  calibrator: { id: alice }"), Now);
        var c = spec.Calibration!;
        Assert.Equal(("alice", "human", 0.05, 0, TimeSpan.FromDays(7)), (c.Calibrator.Id, c.Calibrator.Kind, c.Rate, c.MinEvery, c.ExpireAfter));
        Assert.Equal(CalibrationReader.DefaultDrift, c.Drift);
        Assert.Equal(spec, SpecJson.Deserialize(SpecJson.Serialize(spec)));
        var plain = SpecReader.Parse("c.yaml", Yaml("").Replace("calibration:\n", "", StringComparison.Ordinal), Now);
        Assert.Null(plain.Calibration);
        Assert.DoesNotContain("calibration", SpecJson.Serialize(plain), StringComparison.Ordinal);
        Assert.DoesNotContain("drift", SpecJson.Serialize(plain), StringComparison.Ordinal);
    }

    [Fact]
    public void BadFields_AreNamed()
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse("c.yaml", Yaml(
            "  calibrator: { id: alice, kind: robot }\n  rate: 0\n  minEvery: 0\n  wait: true\n  drift: { threshold: 0 }",
            "simulator: { kind: synthetic, driftAmount: 2 }"), Now));
        Assert.Contains("c.yaml: calibration.calibrator.kind: must be one of: human, synthetic (got 'robot')", ex.Errors);
        Assert.Contains("c.yaml: calibration.rate: and minEvery are both 0: no probe would ever be asked", ex.Errors);
        Assert.Contains("c.yaml: calibration.wait: true is not supported yet: loops keep running while probes wait (leave it out or set false)", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("c.yaml: calibration.drift.threshold: must be at least 0.1", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("c.yaml: simulator.driftAmount: must be at least 0 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Sampling_IsSeeded_AndMinEveryTakesTheBranchesInTurn()
    {
        var spec = SpecReader.Parse("c.yaml", Yaml("  calibrator: { id: alice }\n  rate: 0\n  minEvery: 3"), Now);
        var sampled = Enumerable.Range(1, 30).SelectMany(d => Enumerable.Range(0, 4).Where(b => ProbeSampler.IsSampled(spec, b, d)).Select(b => (b, d))).ToList();
        Assert.Equal([(0, 3), (1, 6), (2, 9), (3, 12), (0, 15), (1, 18), (2, 21), (3, 24), (0, 27), (1, 30)], sampled);

        var rated = SpecReader.Parse("c.yaml", Yaml("  calibrator: { id: alice }\n  rate: 0.25"), Now);
        var n = Enumerable.Range(1, 30).Sum(d => Enumerable.Range(0, 4).Count(b => ProbeSampler.IsSampled(rated, b, d)));
        Assert.InRange(n, 15, 45); // about a quarter of 120 branch-days
        Assert.Equal(n, Enumerable.Range(1, 30).Sum(d => Enumerable.Range(0, 4).Count(b => ProbeSampler.IsSampled(rated, b, d))));
    }
}
