using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Mimicry.Grains;
using Mimicry.Grains.Simulators;
using Mimicry.Hosting;
using Mimicry.Sessions;
using Mimicry.Status;
using Mimicry.Storage.Sqlite;
using Orleans.TestingHost;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>A session whose result never arrives is dispatched again after its deadline, and the day is kept once.</summary>
public sealed class RedispatchTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mimicry-redispatch-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
    private readonly LosesOneSession _simulator = new();
    private SqliteNotebookStore _store = null!;
    private InProcessTestCluster _cluster = null!;

    /// <summary>The synthetic researcher, except that the first run of day 2, slot 1 never returns (as if its silo died).</summary>
    private sealed class LosesOneSession : ISessionSimulator
    {
        private readonly SyntheticSimulator _inner = new(MimicryClock.System);

        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public TaskCompletionSource Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => "synthetic";

        public Task<string> RunAsync(SessionRequest request, CancellationToken cancellationToken)
        {
            var n = Calls.AddOrUpdate(request.Key.ToString(), 1, (_, c) => c + 1);
            if (request.Key is { Day: 2, Slot: 1 } && n == 1)
            {
                Lost.TrySetResult();
                return new TaskCompletionSource<string>().Task;
            }
            return _inner.RunAsync(request, cancellationToken);
        }
    }

    public async Task InitializeAsync()
    {
        _store = SqliteNotebookStore.Open(_folder);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(new MimicryClock(_time));
            silo.AddMimicry(_store);
            silo.Services.RemoveAll<ISessionSimulator>();
            silo.Services.AddSingleton<ISessionSimulator>(_simulator);
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
    public async Task LostSession_IsDispatchedAgainAfterItsDeadline_AndTheDayIsCommittedOnce()
    {
        var spec = Specs.Parse(Specs.Yaml("lost-session", branches: 1, days: 3, width: 2, selection: "all", lemmas: 50));
        var loop = _cluster.Client.GetGrain<ILoopGrain>(spec.Name);
        await loop.Start(spec);
        await _simulator.Lost.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Nothing moves until Mimicry's clock passes the session deadline (4 × latency + 60 s).
        var status = await loop.GetStatus();
        Assert.Equal(1, status.DaysDone);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((status = await loop.GetStatus()).State == RunState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"loop did not finish after the lost session was re-dispatched: {status}");
            _time.Advance(TimeSpan.FromSeconds(61));
            await Task.Delay(50);
        }

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(3, status.DaysDone);
        Assert.Equal(6, status.Entries);
        Assert.Equal(2, _simulator.Calls["lost-session/0/2/1"]);
        Assert.All(_simulator.Calls.Where(c => c.Key != "lost-session/0/2/1"), c => Assert.Equal(1, c.Value));
        var day2 = (await _store.ReadDaysAsync(spec.Name, 0)).Single(d => d.Day == 2);
        Assert.Equal([0, 1], day2.Entries.Select(e => e.Slot));
    }
}
