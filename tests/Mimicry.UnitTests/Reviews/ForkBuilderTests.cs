using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Reviews;

/// <summary>A fork's spec: one branch, the parent branch's budget share, validated changes, the charge for another timeline.</summary>
public class ForkBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static LoopSpec Parent() => SpecReader.Parse("p.yaml", """
        name: parent
        researcher: { id: ada, name: Ada }
        question: Which symbol does each lemma hold?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: 10
        branches: 4
        width: 3
        selection: best-of-3
        seed: 7
        budgets: { maxBits: 40, maxSessions: 400 }
        """, Now);

    [Fact]
    public void AFork_IsOneBranch_WithItsParentsShare_AndTheChanges()
    {
        var fork = ForkBuilder.Build(Parent(), 2, 4, 6, "parent-b2d4", ["seed=9", "width=2", "selection=best-of-2", "anchor.time=2026-10-01T09:00:00Z"], timelines: 1, Now);
        Assert.Equal(("parent-b2d4", 1, 9L, 2), (fork.Name, fork.Branches, fork.Seed, fork.Width));
        Assert.Equal(new SelectionSpec(SelectionKind.BestOfN, 2), fork.Selection);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero), fork.Anchor.Time);
        Assert.Equal((10.0, 100L), (fork.Budgets.MaxBits, fork.Budgets.MaxSessions)); // 40 bits and 400 sessions over 4 branches
        Assert.Equal(("parent", 2, 4), (fork.Fork!.Loop, fork.Fork.Branch, fork.Fork.FromDay));
        Assert.Equal(["seed=9", "width=2", "selection=best-of-2", "anchor.time=2026-10-01T09:00:00Z"], fork.Fork.Changes);
        Assert.Equal(1.0, fork.Fork.Bits, 9); // a second timeline from that point: log2 2 − log2 1
        Assert.Equal(1, fork.Fork.Timeline);
        Assert.Equal(3, ForkBuilder.Build(Parent(), 2, 4, 6, "third", [], timelines: 3, Now).Fork!.Timeline);
    }

    [Fact]
    public void EachFurtherFork_FromTheSamePoint_CostsWhatTheChoiceGrows()
    {
        Assert.Equal(Math.Log2(3) - 1, ForkBuilder.Charge(2), 9);
        var total = Enumerable.Range(1, 7).Sum(ForkBuilder.Charge);
        Assert.Equal(3.0, total, 9); // 7 forks + the parent = 8 timelines = 3 bits, however they were made
    }

    [Fact]
    public void EveryProblem_IsNamed_AtOnce()
    {
        var ex = Assert.Throws<SpecException>(() => ForkBuilder.Build(Parent(), 2, 7, 6, "Bad Name", ["seed=-1", "colour=blue", "width", "anchor.time=2027-05-01T00:00:00Z"], 1, Now));
        Assert.Equal(
        [
            "--from-day: must be between 0 and 6, the days branch 2 of 'parent' has committed (got 7)",
            "--name: must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (got 'Bad Name')",
            "--set seed: must be a whole number from 0 (got '-1')",
            "--set colour: cannot be changed by a fork; these can: seed, width, selection, days, question, anchor.time, simulator.temperature, simulator.model",
            "--set: expected path=value (got 'width')",
            "--set anchor.time: the anchor of day 1 (2027-05-01T00:00:00Z) would be later than now (2026-11-29T12:00:00Z); a simulated researcher must not wake up in the future (set anchor.allowFutureAnchor: true to allow it)",
        ], ex.Errors);
    }

    [Fact]
    public void AWidthThatNoLongerFitsTheSelection_AndAnUnknownBranch_AreRefused()
    {
        var width = Assert.Throws<SpecException>(() => ForkBuilder.Build(Parent(), 0, 2, 6, "f", ["width=5"], 1, Now));
        Assert.Equal(["--set: best-of-3 needs width 3 (width is 5); set both width and selection"], width.Errors);
        var branch = Assert.Throws<SpecException>(() => ForkBuilder.Build(Parent(), 4, 0, 0, "f", [], 1, Now));
        Assert.Equal(["--branch: must be between 0 and 3 for loop 'parent' (got 4)"], branch.Errors);
        var days = Assert.Throws<SpecException>(() => ForkBuilder.Build(Parent(), 0, 6, 6, "f", ["days=6"], 1, Now));
        Assert.Equal(["--set days: the fork would have nothing to do: days (6) must be more than --from-day (6)"], days.Errors);
    }
}
