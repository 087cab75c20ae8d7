using Microsoft.Extensions.DependencyInjection;
using Mimicry.Grains;
using Mimicry.Grains.Loops;
using Mimicry.Status;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>A branch whose activation goes away mid-run is brought back by its loop and carries on from the store.</summary>
public sealed class BranchRecoveryTests : IAsyncLifetime
{
    private MimicryTestCluster _silo = null!;

    public async Task InitializeAsync() => _silo = await MimicryTestCluster.StartAsync(
        silos: 1, after: silo => silo.Services.Configure<LoopOptions>(o => o.WatchPeriod = TimeSpan.FromMilliseconds(300)));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task DeactivatedBranches_AreResumedByTheLoop_WithNothingLostOrDoubled()
    {
        var spec = Specs.Parse(Specs.Yaml("recovery", branches: 4, days: 30, lemmas: 50, latency: "20ms"));
        var loop = _silo.Client.GetGrain<ILoopGrain>(spec.Name);
        await loop.Start(spec);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        LoopStatus status;
        while ((status = await loop.GetStatus()).MinDaysDone < 5)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no progress: {status}");
            await Task.Delay(20);
        }
        for (var b = 0; b < 4; b++)
        {
            await _silo.Cluster.DeactivateAsync(_silo.Client.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, b)));
        }
        var afterKill = await loop.GetStatus();
        Assert.True(afterKill.MaxDaysDone < 30, $"the branches finished before they could be deactivated: {afterKill}");

        while ((status = await loop.GetStatus()).State == RunState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the loop did not resume its deactivated branches: {status}");
            await Task.Delay(50);
        }
        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(4 * 30, status.DaysDone);
        for (var b = 0; b < 4; b++)
        {
            var days = await _silo.Store.ReadDaysAsync(spec.Name, b);
            Assert.Equal(Enumerable.Range(1, 30), days.Select(d => d.Day));
            Assert.All(days, d => Assert.Single(d.Entries));
        }
    }
}
