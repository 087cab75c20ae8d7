using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using Mimicry.Grains;
using Mimicry.Grains.Loops;
using Mimicry.Hosting;
using Mimicry.Status;
using Mimicry.Storage.Sqlite;
using Orleans.TestingHost;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>A branch whose activation goes away mid-run is brought back by its loop and carries on from the store.</summary>
public sealed class BranchRecoveryTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mimicry-recovery-" + Guid.NewGuid().ToString("N"));
    private SqliteNotebookStore _store = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _store = SqliteNotebookStore.Open(_folder);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMimicry(_store);
            silo.Services.Configure<LoopOptions>(o => o.WatchPeriod = TimeSpan.FromMilliseconds(300));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task DeactivatedBranches_AreResumedByTheLoop_WithNothingLostOrDoubled()
    {
        var spec = Specs.Parse(Specs.Yaml("recovery", branches: 4, days: 30, lemmas: 50, latency: "20ms"));
        var loop = _cluster.Client.GetGrain<ILoopGrain>(spec.Name);
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
            await _cluster.DeactivateAsync(_cluster.Client.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, b)));
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
            var days = await _store.ReadDaysAsync(spec.Name, b);
            Assert.Equal(Enumerable.Range(1, 30), days.Select(d => d.Day));
            Assert.All(days, d => Assert.Single(d.Entries));
        }
    }
}
