using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using Mimicry.Probes;
using Mimicry.Grains;
using Mimicry.Grains.Calibration;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Storage;
using Mimicry.Synthetic;
using Mimicry.Simulation;

namespace Mimicry.UnitTests.Calibration;

/// <summary>
/// The drift test runs after every sampled day, so its cost must not grow with the loop: it reads only the scores
/// changed since its last look, never the probes themselves (with their notebooks), and agrees with a full
/// recomputation over every stored probe (issue 12 #12).
/// </summary>
public sealed class IncrementalDriftTests
{
    /// <summary>Counts the store calls made through it.</summary>
    public class CountingStore : DispatchProxy
    {
        public INotebookStore Inner { get; set; } = null!;

        public Dictionary<string, int> Calls { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Calls[targetMethod!.Name] = Calls.GetValueOrDefault(targetMethod.Name) + 1;
            try
            {
                return targetMethod.Invoke(Inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }

    private static LoopSpec Spec() => SpecReader.Parse("c.yaml", """
        name: cal
        researcher: { id: ada, name: Ada }
        question: Q?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: 400
        branches: 3
        calibration: { calibrator: { id: alice, kind: synthetic }, rate: 0, minEvery: 1, drift: { baseline: 5, threshold: 1000 } }
        """, new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));

    private sealed class Overlap : IProbeScorer
    {
        public string Name => "overlap";

        public double Similarity(string real, string simulated) =>
            real.Split(' ').Intersect(simulated.Split(' ')).Count() / (double)Math.Max(1, real.Split(' ').Union(simulated.Split(' ')).Count());
    }

    [Fact]
    public async Task EachSampledDay_ReadsOnlyWhatChanged_AndAgreesWithAFullRecomputation()
    {
        var inner = new InMemoryNotebookStore();
        var store = DispatchProxy.Create<INotebookStore, CountingStore>();
        var counting = (CountingStore)(object)store;
        counting.Inner = inner;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var service = new CalibrationService(store, new Overlap(), new MimicryClock(time));
        var spec = Spec();

        DriftState? drift = null;
        for (var day = 1; day <= 60; day++)
        {
            var branch = (day - 1) % spec.Branches;
            var request = new SessionRequest(new SessionKey(spec.Name, branch, day, 0), spec.Anchor.Time, spec.Researcher, spec.Question, ["an entry"], spec.Seed, spec.Simulator);
            // Every seventh day the simulator drifts away from what the researcher would say.
            drift = await service.OnDayAsync(spec, request, day % 7 == 0 ? "unrelated words entirely" : SyntheticCalibrator.Answer(request));
        }

        Assert.False(counting.Calls.ContainsKey(nameof(INotebookStore.ListProbesAsync)), "the drift test listed every probe");
        var full = CalibrationService.Evaluate(await inner.ListProbesAsync("cal"), spec.Calibration!.Drift);
        Assert.Equal((full.Scored, full.BaselineMean, full.Cusum, full.Alarm), (drift!.Scored, drift.BaselineMean, drift.Cusum, drift.Alarm));
        Assert.Equal(60, drift.Scored);

        // A late score for an early day sorts before what was folded: the test is refolded, as a full recomputation is.
        var late = (await inner.GetProbeAsync("cal/0/1"))! with { Id = "cal/0/5", Branch = 0, Day = 5 };
        await inner.AddProbeAsync(late with { State = Mimicry.Status.ProbeState.Answered, Score = 0.01 });
        var afterLate = await service.EvaluateAsync(spec);
        var fullAfterLate = CalibrationService.Evaluate(await inner.ListProbesAsync("cal"), spec.Calibration.Drift);
        Assert.Equal((61, fullAfterLate.Cusum, fullAfterLate.Alarm), (afterLate!.Scored, afterLate.Cusum, afterLate.Alarm));
        Assert.NotEqual(drift.Cusum, afterLate.Cusum);

        // A person acknowledges the scores (a resume): the test starts over after them, as a full recomputation does.
        await store.AcknowledgeProbesAsync("cal");
        var afterAck = await service.EvaluateAsync(spec);
        var fullAfterAck = CalibrationService.Evaluate(await inner.ListProbesAsync("cal"), spec.Calibration.Drift);
        Assert.Equal((fullAfterAck.Cusum, fullAfterAck.Alarm), (afterAck!.Cusum, afterAck.Alarm));
        Assert.Equal(0, afterAck.Cusum);
    }
}
