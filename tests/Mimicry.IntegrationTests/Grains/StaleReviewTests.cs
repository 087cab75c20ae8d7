using Mimicry.Grains;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>
/// A review whose day another activation of the branch committed (from other candidates) is stale: no decision on it
/// is taken, it leaves the desk as superseded, and the branch goes on from what the store holds (issue 12 #5).
/// </summary>
public sealed class StaleReviewTests
{
    [Fact]
    public async Task ADecision_OnAReviewWhoseDayWasCommitted_IsRefused_AndTheBranchGoesOn()
    {
        await using var cluster = await MimicryTestCluster.StartAsync(silos: 1);
        var spec = Specs.Parse(Reviews.ReviewSpecs.Yaml("stale", branches: 1, days: 4, width: 2, review: "review: { everyDays: 2 }"));
        var loop = cluster.Client.GetGrain<ILoopGrain>(spec.Name);
        await loop.Start(spec);
        var desk = cluster.Client.GetGrain<IReviewGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Review? held;
        while ((held = (await desk.List(spec.Name, pendingOnly: true)).SingleOrDefault()) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "day 2 was not held");
            await Task.Delay(50);
        }
        Assert.Equal(2, held.Day);

        // A duplicate activation committed day 2 from candidates of its own.
        var day1 = (await cluster.Store.ReadDaysAsync(spec.Name, 0)).Single();
        var other = "2026-11-01. Another activation's day.";
        Assert.True(await cluster.Store.AppendDayAsync(day1 with
        {
            Day = 2,
            Entries = [day1.Entries[0] with { SessionId = "stale/0/2/0", Text = other, Hash = Mimicry.Text.ContentHash.Of(other) }],
        }));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => desk.Approve(held.Id, null, "alice"));
        Assert.Equal($"review {held.Id} is stale: day 2 of branch 0 was committed without it, so there is nothing left to decide", refused.Message);
        Assert.Equal(ReviewState.Superseded, (await desk.Get(held.Id))!.State);

        // The branch goes on: day 4 is held at the gate next, and day 2 in the store is the other activation's.
        deadline = DateTime.UtcNow.AddSeconds(30);
        while ((held = (await desk.List(spec.Name, pendingOnly: true)).SingleOrDefault()) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the branch did not go on after the stale review");
            await Task.Delay(50);
        }
        Assert.Equal(4, held.Day);
        Assert.Equal(other, (await cluster.Store.ReadDaysAsync(spec.Name, 0)).Single(d => d.Day == 2).Entries.Single().Text);
    }
}
