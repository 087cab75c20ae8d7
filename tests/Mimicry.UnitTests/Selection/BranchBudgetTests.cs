using Mimicry.Selection;
using Mimicry.SpecReading;

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

    [Theory]
    [InlineData(12, 3, 3.0)]   // the per-branch cap is below the loop's even share (4)
    [InlineData(12, 10, 4.0)]  // the even share is below the cap
    [InlineData(0, 2.5, 2.5)]  // only a per-branch budget
    public void MaxBitsPerBranch_CapsEachBranch(double loopBits, double perBranch, double expected)
    {
        var yaml = Specs.SpecReaderTests.Valid.Replace("  maxBits: 12", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  maxBits: {loopBits}\n  maxBitsPerBranch: {perBranch}"), StringComparison.Ordinal);
        var spec = SpecReader.Parse("x.yaml", yaml, Now); // 3 branches
        var b = BranchBudget.For(spec);
        Assert.True(b.BitsLimited);
        Assert.Equal(expected, b.MaxBits, 12);
        Assert.Equal(spec, SpecJson.Deserialize(SpecJson.Serialize(spec)));
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
