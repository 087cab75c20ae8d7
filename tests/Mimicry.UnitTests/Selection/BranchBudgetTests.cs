using Mimicry.Selection;
using Mimicry.Specs;

namespace Mimicry.UnitTests.Selection;

public class BranchBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_SplitsLoopBudgetsEvenlyOverBranches()
    {
        var spec = SpecReader.Parse("x.yaml", Specs.SpecReaderTests.Valid, Now) with { Budgets = new(MaxSessions: 120, MaxBits: 12) };
        var b = BranchBudget.For(spec);
        Assert.Equal(40, b.MaxSessions);
        Assert.Equal(4.0, b.MaxBits, 12);
    }

    [Fact]
    public void RefuseDay_WhenTheNextDayWouldExceedTheBitsShare()
    {
        var b = new BranchBudget(0, 4) { BitsLimited = true };
        Assert.Null(b.RefuseDay(0, 4, 2, 2));
        Assert.StartsWith("budget: maxBits reached", b.RefuseDay(0, 4, 4, 2));
    }

    [Fact]
    public void RefuseDay_WhenTheNextDayWouldExceedTheSessionsShare()
    {
        var b = new BranchBudget(10, 0) { SessionsLimited = true };
        Assert.Null(b.RefuseDay(6, 4, 0, 0));
        Assert.StartsWith("budget: maxSessions reached", b.RefuseDay(8, 4, 0, 0));
    }

    [Fact]
    public void Unlimited_NeverRefuses()
    {
        var b = new BranchBudget(0, 0);
        Assert.Null(b.RefuseDay(long.MaxValue - 10, 4, 1e9, 2));
        Assert.Null(b.RefuseSelection(1e9, 5));
    }
}
