using Microsoft.Extensions.Time.Testing;
using Mimicry.Anchors;
using Mimicry.Spec;

namespace Mimicry.UnitTests.Anchors;

public class AnchorClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fixed_EveryDayWakesAtTheSameTime()
    {
        var anchor = new AnchorSpec(AnchorPolicy.Fixed, Start, TimeSpan.Zero, 0, TimeSpan.Zero, false);
        Assert.All(new[] { 1, 2, 50 }, d => Assert.Equal(Start, AnchorClock.For(anchor, d, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public void Stepped_AdvancesByStepEveryNDays()
    {
        var anchor = new AnchorSpec(AnchorPolicy.Stepped, Start, TimeSpan.FromDays(7), 3, TimeSpan.Zero, false);
        Assert.Equal(Start, AnchorClock.For(anchor, 1, default));
        Assert.Equal(Start, AnchorClock.For(anchor, 3, default));
        Assert.Equal(Start.AddDays(7), AnchorClock.For(anchor, 4, default));
        Assert.Equal(Start.AddDays(21), AnchorClock.For(anchor, 10, default));
    }

    [Fact]
    public void Follow_IsWallClockMinusLag_AndNeverAhead()
    {
        var time = new FakeTimeProvider(Start.AddHours(5.5));
        var anchor = new AnchorSpec(AnchorPolicy.Follow, default, TimeSpan.Zero, 0, TimeSpan.FromHours(2), false);
        Assert.Equal(Start.AddHours(3.5), AnchorClock.For(anchor, 1, time.GetUtcNow()));
        time.Advance(TimeSpan.FromDays(1));
        var later = AnchorClock.For(anchor, 2, time.GetUtcNow());
        Assert.Equal(Start.AddHours(3.5).AddDays(1), later);
        Assert.True(later <= time.GetUtcNow());
    }

    [Fact]
    public void FirstFutureDay_FindsTheFirstDayPastNow()
    {
        var anchor = new AnchorSpec(AnchorPolicy.Stepped, Start, TimeSpan.FromDays(1), 1, TimeSpan.Zero, false);
        var now = Start.AddDays(4).AddHours(1);
        Assert.Equal(6, AnchorClock.FirstFutureDay(anchor, 10, now));
        Assert.True(AnchorClock.For(anchor, 5, now) <= now);
        Assert.True(AnchorClock.For(anchor, 6, now) > now);
        Assert.Equal(0, AnchorClock.FirstFutureDay(anchor, 5, now));
    }
}
