using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mimicry.Grains;
using Mimicry.Grains.Loops;
using Mimicry.Grains.Simulators;
using Mimicry.Sessions;
using Mimicry.Status;
using Orleans.Configuration;
using Mimicry.Simulation;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>
/// A branch activation can go in the middle of a day (idle collection while its sessions run, memory pressure, a
/// stop). Its sessions are paid for: none may be dispatched a second time, and every token a session used is
/// counted in the day that keeps it (issue 12 #2). Real time: sessions take longer than the collection age.
/// </summary>
public sealed class ActivationLossTests
{
    private const int InputTokens = 100, OutputTokens = 7;

    /// <summary>The synthetic researcher, counting runs and billing tokens for each, as a model would.</summary>
    private sealed class PaidSimulator : ISessionSimulator
    {
        private readonly SyntheticSimulator _inner = new(new MimicryClock(TimeProvider.System));

        public ConcurrentDictionary<SessionKey, int> Calls { get; } = new();

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => "synthetic";

        public async Task<SessionOutput> RunAsync(SessionRequest request, CancellationToken cancellationToken)
        {
            Calls.AddOrUpdate(request.Key, 1, (_, c) => c + 1);
            Started.TrySetResult();
            var output = await _inner.RunAsync(request, cancellationToken);
            return output with { InputTokens = InputTokens, OutputTokens = OutputTokens };
        }
    }

    /// <param name="watch">How often the loop pokes branches that made no progress; each poke is a call, which keeps an activation from being idle.</param>
    private static async Task<MimicryTestCluster> StartAsync(PaidSimulator simulator, TimeSpan watch, TimeSpan? collectionAge = null) =>
        await MimicryTestCluster.StartAsync(silos: 1, after: silo =>
        {
            silo.Services.RemoveAll<ISessionSimulator>();
            silo.Services.AddSingleton<ISessionSimulator>(simulator);
            silo.Services.PostConfigure<LoopOptions>(o => o.WatchPeriod = watch);
            if (collectionAge is { } age)
            {
                silo.Services.PostConfigure<GrainCollectionOptions>(o =>
                {
                    o.CollectionQuantum = TimeSpan.FromMilliseconds(500);
                    o.CollectionAge = age;
                });
            }
        });

    private static async Task AssertPaidOnceAndCountedAsync(MimicryTestCluster cluster, PaidSimulator simulator, string loop, int branches, int days, int width)
    {
        Assert.All(simulator.Calls, c => Assert.True(c.Value == 1, $"session {c.Key} was dispatched {c.Value} times"));
        Assert.Equal(branches * days * width, simulator.Calls.Count);
        for (var b = 0; b < branches; b++)
        {
            var kept = await cluster.Store.ReadDaysAsync(loop, b);
            Assert.Equal(days, kept.Count);
            Assert.All(kept, d => Assert.Equal((width, width * (long)InputTokens, width * (long)OutputTokens), (d.Sessions, d.InputTokens, d.OutputTokens)));
        }
    }

    [Fact]
    public async Task SessionsLongerThanTheCollectionAge_AreNotDispatchedTwice()
    {
        var simulator = new PaidSimulator();
        // Pokes further apart than the collection age, as with the defaults' 30 s against sessions over 15 min.
        await using var cluster = await StartAsync(simulator, watch: TimeSpan.FromSeconds(4), collectionAge: TimeSpan.FromSeconds(1));
        var spec = Specs.Parse(Specs.Yaml("collected", branches: 2, days: 2, width: 2, selection: "all", lemmas: 50, latency: "3s"));
        await cluster.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);

        var status = await cluster.WaitForEndAsync(spec.Name, TimeSpan.FromSeconds(60));

        Assert.Equal((RunState.Completed, 4L), (status.State, status.DaysDone));
        await AssertPaidOnceAndCountedAsync(cluster, simulator, spec.Name, branches: 2, days: 2, width: 2);
    }

    [Fact]
    public async Task ResultsOfALostActivation_LandInTheNextOne_WithoutDispatchingTheDayAgain()
    {
        var simulator = new PaidSimulator();
        await using var cluster = await StartAsync(simulator, watch: TimeSpan.FromMilliseconds(300));
        var spec = Specs.Parse(Specs.Yaml("lost-activation", branches: 1, days: 2, width: 3, selection: "all", lemmas: 50, latency: "2s"));
        await cluster.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        await simulator.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The activation goes while day 1's sessions run; the loop's watch starts the branch again.
        await cluster.Client.GetGrain<IBranchGrain>(GrainKeys.Branch(spec.Name, 0)).Stop();

        var status = await cluster.WaitForEndAsync(spec.Name, TimeSpan.FromSeconds(60));
        Assert.Equal((RunState.Completed, 2L), (status.State, status.DaysDone));
        await AssertPaidOnceAndCountedAsync(cluster, simulator, spec.Name, branches: 1, days: 2, width: 3);
    }
}
