using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Mimicry.Grains;
using Mimicry.Grains.Simulators;
using Mimicry.Sessions;
using Mimicry.Status;
using Mimicry.Simulation;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>
/// Sessions that go wrong, on a fake Mimicry clock: a lost report is dispatched again after its deadline and the
/// day is kept once; a hung session is abandoned at its timeout and counts as a failed candidate.
/// </summary>
public sealed class RedispatchTests : IAsyncLifetime
{
    private static readonly SessionKey Unlucky = new("redispatch", 0, 2, 1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
    private readonly CountingSimulator _simulator;
    private readonly TaskCompletionSource _reportDropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dropReports;
    private MimicryTestCluster _silo = null!;

    public RedispatchTests() => _simulator = new CountingSimulator(_time);

    /// <summary>The synthetic researcher; it can be told to hang on the unlucky session's first run.</summary>
    private sealed class CountingSimulator(FakeTimeProvider time) : ISessionSimulator
    {
        private readonly SyntheticSimulator _inner = new(new MimicryClock(time));

        public ConcurrentDictionary<SessionKey, int> Calls { get; } = new();

        public bool HangOnce { get; set; }

        public TaskCompletionSource Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => "synthetic";

        public Task<SessionOutput> RunAsync(SessionRequest request, CancellationToken cancellationToken)
        {
            var n = Calls.AddOrUpdate(request.Key, 1, (_, c) => c + 1);
            if (HangOnce && request.Key == Unlucky && n == 1)
            {
                Hung.TrySetResult();
                return new TaskCompletionSource<SessionOutput>().Task; // never completes, ignores its token
            }
            return _inner.RunAsync(request, cancellationToken);
        }
    }

    public async Task InitializeAsync() => _silo = await MimicryTestCluster.StartAsync(
        silos: 1,
        before: silo => silo.Services.AddSingleton(new MimicryClock(_time)),
        after: silo =>
        {
            silo.Services.RemoveAll<ISessionSimulator>();
            silo.Services.AddSingleton<ISessionSimulator>(_simulator);
            // Loses the unlucky session's report on the way to its branch, as a dead connection would.
            silo.AddIncomingGrainCallFilter(context =>
            {
                if (context.MethodName == nameof(IBranchGrain.OnSessionCompleted)
                    && context.Request.GetArgument(0) is SessionResult r && r.Key == Unlucky
                    && Interlocked.Decrement(ref _dropReports) >= 0)
                {
                    _reportDropped.TrySetResult();
                    return Task.CompletedTask;
                }
                return context.Invoke();
            });
        });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<LoopStatus> AdvanceUntilEndAsync(ILoopGrain loop, int stepSeconds = 61)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        LoopStatus status;
        while ((status = await loop.GetStatus()).State == RunState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"loop did not finish: {status}");
            _time.Advance(TimeSpan.FromSeconds(stepSeconds));
            await Task.Delay(30);
        }
        return status;
    }

    [Fact]
    public async Task LongAdmissionQueue_IsWaitedFor_NotDispatchedAgain()
    {
        // 8 sessions of 100 s through a gate of 1 take 800 s: far past the 520 s report deadline. They are slow, not lost.
        var spec = Specs.Parse(Specs.Yaml(Unlucky.Loop, branches: 1, days: 1, width: 8, selection: "all", lemmas: 50, latency: "100s")
            .Replace("  latency: 100s", "  latency: 100s\n  maxConcurrency: 1", StringComparison.Ordinal));
        var loop = _silo.Client.GetGrain<ILoopGrain>(spec.Name);
        await loop.Start(spec);

        var status = await AdvanceUntilEndAsync(loop, stepSeconds: 10);

        Assert.Equal((RunState.Completed, 1L, 8L), (status.State, status.DaysDone, status.Entries));
        Assert.Equal(8, _simulator.Calls.Count);
        Assert.All(_simulator.Calls, c => Assert.Equal(1, c.Value));
    }

    [Fact]
    public async Task LostReport_IsDispatchedAgainAfterItsDeadline_AndTheDayIsCommittedOnce()
    {
        _dropReports = 1;
        var spec = Specs.Parse(Specs.Yaml(Unlucky.Loop, branches: 1, days: 3, width: 2, selection: "all", lemmas: 50));
        var loop = _silo.Client.GetGrain<ILoopGrain>(spec.Name);
        await loop.Start(spec);
        await _reportDropped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await loop.GetStatus()).DaysDone); // day 2 waits: nothing moves until the deadline passes

        var status = await AdvanceUntilEndAsync(loop);

        Assert.Equal((RunState.Completed, 3L, 6L), (status.State, status.DaysDone, status.Entries));
        Assert.Equal(2, _simulator.Calls[Unlucky]);
        Assert.All(_simulator.Calls.Where(c => c.Key != Unlucky), c => Assert.Equal(1, c.Value));
        var day2 = (await _silo.Store.ReadDaysAsync(spec.Name, 0)).Single(d => d.Day == 2);
        Assert.Equal([0, 1], day2.Entries.Select(e => e.Slot));
        Assert.Equal(3, day2.Sessions); // the lost report's session was paid for too: the day's bill counts it
    }

    [Fact]
    public async Task HungSession_IsAbandonedAtItsTimeout_AndTheDayGoesOnWithoutIt()
    {
        _simulator.HangOnce = true;
        var spec = Specs.Parse(Specs.Yaml(Unlucky.Loop, branches: 1, days: 3, width: 2, selection: "all", lemmas: 50));
        var loop = _silo.Client.GetGrain<ILoopGrain>(spec.Name);
        await loop.Start(spec);
        await _simulator.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var status = await AdvanceUntilEndAsync(loop);

        Assert.Equal((RunState.Completed, 3L, 5L), (status.State, status.DaysDone, status.Entries));
        Assert.Equal(1, _simulator.Calls[Unlucky]); // still held by its runner: slow, not lost, so never re-dispatched
        var day2 = (await _silo.Store.ReadDaysAsync(spec.Name, 0)).Single(d => d.Day == 2);
        Assert.Equal([0], day2.Entries.Select(e => e.Slot));
        Assert.Equal(2, day2.Sessions);
        Assert.Equal(1, day2.Candidates);
    }
}
