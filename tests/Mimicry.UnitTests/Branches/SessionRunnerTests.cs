using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mimicry.Grains;
using Mimicry.Grains.Sessions;
using Mimicry.Grains.Simulators;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Simulation;

namespace Mimicry.UnitTests.Branches;

/// <summary>
/// The session runner on its own, with a fake clock, a simulator the test holds, and branches that record reports:
/// at most maxConcurrency at once, each admitted session reported exactly once (failed if it throws or overruns),
/// and in flight until its report was taken or failed.
/// </summary>
public sealed class SessionRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Records reports; fails the first <see cref="FailReports"/> of them, as a lost connection would.</summary>
    internal sealed class Branches
    {
        public ConcurrentQueue<SessionResult> Reports { get; } = new();

        public int FailReports;
    }

    private sealed class RecordingBranch(Branches branches) : IBranchGrain
    {
        public Task Start(LoopSpec spec, int branch) => Task.CompletedTask;

        public Task OnSessionCompleted(SessionResult result)
        {
            if (Interlocked.Decrement(ref branches.FailReports) >= 0)
            {
                throw new TimeoutException("test: the report was lost");
            }
            branches.Reports.Enqueue(result);
            return Task.CompletedTask;
        }

        public Task Stop() => Task.CompletedTask;
    }

    /// <summary>A grain factory whose every branch is the recording one (nothing else is asked of it).</summary>
    public class Factory : DispatchProxy
    {
        internal Branches Branches { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IGrainFactory.GetGrain) && targetMethod.ReturnType == typeof(IBranchGrain)
                ? new RecordingBranch(Branches)
                : throw new NotSupportedException(targetMethod.ToString());
    }

    /// <summary>Sessions that run until the test ends them; "throw" and "hang" slots misbehave.</summary>
    private sealed class HeldSimulator : ISessionSimulator
    {
        public ConcurrentDictionary<SessionKey, TaskCompletionSource<SessionOutput>> Running { get; } = new();

        public int Peak;
        private int _now;

        public string Kind => "synthetic";

        public async Task<SessionOutput> RunAsync(SessionRequest request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _now);
            InterlockedMax(ref Peak, now);
            try
            {
                if (request.Key.Slot == 7)
                {
                    throw new InvalidOperationException("the model said no");
                }
                var held = Running.GetOrAdd(request.Key, _ => new TaskCompletionSource<SessionOutput>(TaskCreationOptions.RunContinuationsAsynchronously));
                return await held.Task; // slot 9 is never released and ignores its token
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private static SimulatorSpec Simulator() => SpecReader.Parse("t.yaml", """
        name: runner
        researcher: { id: ada, name: Ada }
        question: Q?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: 1
        simulator: { kind: synthetic, latency: 1s, maxConcurrency: 2 }
        """, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero)).Simulator;

    private (SessionRunner Runner, Branches Branches, HeldSimulator Simulator) Build()
    {
        var branches = new Branches();
        var factory = DispatchProxy.Create<IGrainFactory, Factory>();
        ((Factory)(object)factory).Branches = branches;
        var simulator = new HeldSimulator();
        var runner = new SessionRunner(factory, new SimulatorCatalog([simulator]), new MimicryClock(_time), new Lifetime(), NullLogger<SessionRunner>.Instance);
        return (runner, branches, simulator);
    }

    private static SessionRequest Request(int slot, SimulatorSpec simulator) =>
        new(new SessionKey("runner", 0, 1, slot), DateTimeOffset.UnixEpoch, new ResearcherSpec("ada", "Ada", ""), "Q?", [], 1, simulator);

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task AtMostMaxConcurrencyRun_AndEachIsReportedOnce_InFlightUntilThen()
    {
        var (runner, branches, simulator) = Build();
        var spec = Simulator();
        for (var slot = 0; slot < 5; slot++)
        {
            runner.Admit(Request(slot, spec));
        }
        await UntilAsync(() => simulator.Running.Count == 2, "two sessions did not start");
        Assert.All(Enumerable.Range(0, 5), s => Assert.True(runner.IsInFlight(new SessionKey("runner", 0, 1, s))));

        for (var released = 0; released < 5; released++)
        {
            await UntilAsync(() => simulator.Running.Count > released, "the next session did not start");
            simulator.Running.Values.First(t => !t.Task.IsCompleted).SetResult(new SessionOutput("text", 3, 4));
        }
        await UntilAsync(() => branches.Reports.Count == 5, "not every session reported");
        Assert.Equal(2, simulator.Peak);
        Assert.Equal([0, 1, 2, 3, 4], branches.Reports.Select(r => r.Key.Slot).Order());
        Assert.All(branches.Reports, r => Assert.Equal(("text", (string?)null, 3, 4), (r.Text, r.Error, r.InputTokens, r.OutputTokens)));
        await UntilAsync(() => !runner.IsInFlight(new SessionKey("runner", 0, 1, 4)), "a reported session stayed in flight");
    }

    [Fact]
    public async Task AFailingOrOverrunningSession_IsReportedAsFailed_AndALostReportLeavesItNotInFlight()
    {
        var (runner, branches, simulator) = Build();
        var spec = Simulator();
        runner.Admit(Request(7, spec)); // throws
        await UntilAsync(() => branches.Reports.Count == 1, "the failed session was not reported");
        Assert.Equal((null, "the model said no"), (branches.Reports.Single().Text, branches.Reports.Single().Error));

        runner.Admit(Request(9, spec)); // never ends
        var hung = new SessionKey("runner", 0, 1, 9);
        await UntilAsync(() => simulator.Running.ContainsKey(hung), "the hung session did not start");
        Assert.True(runner.IsInFlight(hung));
        // Its timer starts just after the simulator is called: keep moving the clock until it fires.
        await UntilAsync(() =>
        {
            _time.Advance(SessionTimeouts.Run(spec) + TimeSpan.FromSeconds(1));
            return branches.Reports.Count == 2;
        }, "the hung session was not abandoned at its timeout");
        Assert.Matches("^the session ran longer than [0-9]+ s and was abandoned$", branches.Reports.Last().Error);

        branches.FailReports = 1;
        runner.Admit(Request(7, spec) with { Key = new SessionKey("runner", 0, 2, 7) });
        await UntilAsync(() => !runner.IsInFlight(new SessionKey("runner", 0, 2, 7)), "a session whose report was lost stayed in flight");
        Assert.Equal(2, branches.Reports.Count); // lost, not retried by the runner: the branch dispatches it again
    }
}
