using Microsoft.Extensions.Time.Testing;
using Mimicry.Probes;
using Mimicry.Grains;
using Mimicry.Grains.Calibration;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Simulation;

namespace Mimicry.UnitTests.Calibration;

/// <summary>The probe workflow over a real store with a fake clock: expiry, refusals that change nothing, scoring.</summary>
public sealed class CalibrationServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNotebookStore _store = new();

    private sealed class WordOverlap : IProbeScorer
    {
        public string Name => "overlap";

        public double Similarity(string real, string simulated)
        {
            var a = real.Split(' ').ToHashSet();
            var b = simulated.Split(' ').ToHashSet();
            return (double)a.Intersect(b).Count() / a.Union(b).Count();
        }
    }

    private static LoopSpec Spec(string kind = "human") => SpecReader.Parse("c.yaml", $$"""
        name: cal
        researcher: { id: ada, name: Ada }
        question: Q?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: 10
        branches: 2
        calibration: { calibrator: { id: alice, kind: {{kind}} }, rate: 0, minEvery: 1, expireAfter: 1h, drift: { baseline: 2, threshold: 1 } }
        """, new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));

    private CalibrationService Service() => new(_store, new WordOverlap(), new MimicryClock(_time));

    private async Task<string> ProbeAsync(LoopSpec spec, int day)
    {
        var branch = (day - 1) % spec.Branches; // minEvery 1 probes one branch a day, in turn
        await Service().OnDayAsync(spec, new SessionRequest(new SessionKey(spec.Name, branch, day, 0), spec.Anchor.Time, spec.Researcher, spec.Question, ["earlier"], spec.Seed, spec.Simulator), "the simulated words");
        return ProbeSampler.ProbeId(spec.Name, branch, day);
    }

    [Fact]
    public async Task AProbe_IsTakenOnce_AnsweredOnce_AndExpiresUnanswered()
    {
        var spec = Spec();
        var id = await ProbeAsync(spec, 1);
        await ProbeAsync(spec, 1); // the day re-run after a failover: no second probe
        Assert.Single(await _store.ListProbesAsync("cal"));

        var (answered, _) = await Service().AnswerAsync(id, "alice", "the real words");
        Assert.Equal(ProbeState.Answered, answered.State);
        Assert.Equal(0.5, answered.Similarity!.Value, 9); // {the, words} of {the, real, words, simulated}

        var late = await ProbeAsync(spec, 2);
        _time.Advance(TimeSpan.FromHours(1));
        var ex = await Assert.ThrowsAsync<ProbeRefusedException>(() => Service().AnswerAsync(late, "alice", "too late"));
        Assert.StartsWith($"probe '{late}' expired at ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ProbeState.Expired, (await _store.GetProbeAsync(late))!.State);
        Assert.Null((await _store.GetProbeAsync(late))!.Answer);
    }

    [Fact]
    public async Task Refusals_ChangeNothing()
    {
        var spec = Spec();
        var id = await ProbeAsync(spec, 1);
        var before = await _store.GetProbeAsync(id);
        await Assert.ThrowsAsync<ProbeRefusedException>(() => Service().AnswerAsync(id, "bob", "mine"));
        await Assert.ThrowsAsync<ProbeRefusedException>(() => Service().RateAsync(id, "alice", 3));
        await Assert.ThrowsAsync<ProbeRefusedException>(() => Service().AnswerAsync(id, "alice", "   "));
        await Assert.ThrowsAsync<ProbeRefusedException>(() => Service().AnswerAsync("cal/9/9", "alice", "x"));
        Assert.Equal(before, await _store.GetProbeAsync(id));
    }

    [Fact]
    public async Task ASyntheticCalibrator_AnswersAtOnce_AndADropFiresTheTest()
    {
        var spec = Spec("synthetic");
        for (var day = 1; day <= 2; day++)
        {
            Assert.NotNull(await Service().OnDayAsync(spec, Request(spec, day), SyntheticOf(spec, day)));
            _time.Advance(TimeSpan.FromMinutes(1));
        }
        var drift = await Service().OnDayAsync(spec, Request(spec, 3), "completely unrelated text about cooking dinner");
        Assert.True(drift!.Alarm);
        Assert.Contains("evidence: cal/0/3 scored", CalibrationService.PauseReason(drift, spec.Calibration!.Drift), StringComparison.Ordinal);
        Assert.All(await _store.ListProbesAsync("cal"), p => Assert.Equal(ProbeState.Answered, p.State));
    }

    private static SessionRequest Request(LoopSpec spec, int day) =>
        new(new SessionKey(spec.Name, (day - 1) % 2, day, 0), spec.Anchor.Time, spec.Researcher, spec.Question, [], spec.Seed, spec.Simulator);

    private static string SyntheticOf(LoopSpec spec, int day) => Mimicry.Synthetic.SyntheticCalibrator.Answer(Request(spec, day));
}
