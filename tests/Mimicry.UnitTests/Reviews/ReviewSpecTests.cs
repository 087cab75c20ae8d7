using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Reviews;

/// <summary>The spec's review section and the synthetic simulator's tamper days.</summary>
public class ReviewSpecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static string Yaml(string extra) => $"""
        name: r
        researcher: {"{"} id: ada, name: Ada {"}"}
        question: Q?
        anchor: {"{"} policy: fixed, time: 2026-11-01T09:00:00Z {"}"}
        days: 10
        {extra}
        """;

    [Fact]
    public void TheReviewSection_IsReadWithDefaults_AndLeftOutWhenAbsent()
    {
        Assert.Null(SpecReader.Parse("t.yaml", Yaml(""), Now).Review);
        Assert.Equal(new ReviewSpec(0, RejectPolicy.Rerun), SpecReader.Parse("t.yaml", Yaml("review: {}"), Now).Review);
        Assert.Equal(new ReviewSpec(5, RejectPolicy.Stop), SpecReader.Parse("t.yaml", Yaml("review: { everyDays: 5, onReject: stop }"), Now).Review);
        // Specs without the section keep their canonical form (and hash).
        Assert.DoesNotContain("review", SpecJson.Serialize(SpecReader.Parse("t.yaml", Yaml(""), Now)), StringComparison.Ordinal);
    }

    [Fact]
    public void BadReviewAndTamperFields_AreNamed()
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse("t.yaml", Yaml("""
            review: { everyDays: -1, onReject: retry, often: true }
            simulator: { kind: synthetic, tamperDays: [2, 0, x] }
            """), Now));
        Assert.Equal(
        [
            "t.yaml: simulator.tamperDays[1]: must be a day number from 1 to 100000",
            "t.yaml: simulator.tamperDays[2]: must be a day number from 1 to 100000",
            "t.yaml: review.everyDays: must be between 0 and 100000 (got -1)",
            "t.yaml: review.onReject: must be one of: rerun, stop (got 'retry')",
            "t.yaml: review.often: unknown field (known fields here: everyDays, onReject, top)",
        ], ex.Errors);
    }

    [Fact]
    public void TamperDays_AddAReaderDirectedLine_OnThoseDaysOnly()
    {
        var spec = SpecReader.Parse("t.yaml", Yaml("simulator: { kind: synthetic, tamperDays: [2] }"), Now);
        Assert.Equal([2], spec.Simulator.Synthetic.TamperDays!);
        var day1 = Mimicry.Synthetic.SyntheticResearcher.Write(Mimicry.Grains.Branches.DayLogic.Request(spec, 0, 1, 0, spec.Anchor.Time, []));
        var day2 = Mimicry.Synthetic.SyntheticResearcher.Write(Mimicry.Grains.Branches.DayLogic.Request(spec, 0, 2, 0, spec.Anchor.Time, []));
        Assert.DoesNotContain(Mimicry.Synthetic.SyntheticResearcher.Tamper, day1, StringComparison.Ordinal);
        Assert.EndsWith(Mimicry.Synthetic.SyntheticResearcher.Tamper, day2, StringComparison.Ordinal);
        Assert.True(Mimicry.Tripwires.ReaderDirected.Check(day2).Tripped);
    }
}
