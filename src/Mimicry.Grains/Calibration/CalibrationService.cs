using Mimicry.Probes;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Synthetic;
using Mimicry.Simulation;

namespace Mimicry.Grains.Calibration;

/// <summary>A refused calibrator action; the message is one sentence for the person.</summary>
public sealed class ProbeRefusedException(string message) : Exception(message);

/// <summary>
/// Probes: taking them (a branch, after a sampled day's sessions), answering and rating them (a calibrator), and the
/// drift test over their scores. Used by the grains and, in embedded mode, by the CLI directly on the store; the
/// store's compare-and-set keeps two answers to one probe from both winning.
/// </summary>
public sealed class CalibrationService(INotebookStore store, IProbeScorer scorer, MimicryClock clock)
{
    private readonly DriftTracker _drift = new(store);

    /// <summary>
    /// After a day's sessions: if this branch-day is sampled, stores the probe (slot 0's situation and its simulated
    /// answer); a synthetic calibrator answers it at once. Returns the drift test's state when a score was added.
    /// </summary>
    public async Task<DriftState?> OnDayAsync(LoopSpec spec, SessionRequest slot0, string? simulated)
    {
        var k = slot0.Key;
        if (spec.Calibration is not { } c || simulated is null || !ProbeSampler.IsSampled(spec, k.Branch, k.Day))
        {
            return null;
        }
        var now = clock.Time.GetUtcNow();
        var probe = new Probe(ProbeSampler.ProbeId(spec.Name, k.Branch, k.Day), spec.Name, spec.Researcher.Id, c.Calibrator.Id, k.Branch, k.Day,
            slot0.Anchor, slot0.Question, slot0.Simulator.Notebook == NotebookAccess.Full ? slot0.Notebook : [], simulated, now, now + c.ExpireAfter, ProbeState.Open);
        await store.AddProbeAsync(probe); // a re-run day finds its probe already there
        Count(spec.Name, "asked");
        if (c.Calibrator.Kind != "synthetic")
        {
            return null;
        }
        var stored = await store.GetProbeAsync(probe.Id);
        if (stored is { State: ProbeState.Open })
        {
            try
            {
                await AnswerAsync(stored, SyntheticCalibrator.Answer(slot0), now);
            }
            catch (ProbeRefusedException)
            {
                // Another activation of this branch (one being replaced after a failover) answered it first.
            }
        }
        return await EvaluateAsync(spec);
    }

    /// <summary>Records a calibrator's blind answer and its score; refuses unknown, expired, answered or someone else's probes.</summary>
    public async Task<(Probe Probe, DriftState? Drift)> AnswerAsync(string id, string calibrator, string text)
    {
        var probe = await store.GetProbeAsync(id);
        var now = clock.Time.GetUtcNow();
        if (ProbeRules.RefuseAnswer(probe, id, calibrator, text, now) is { } refusal)
        {
            if (probe is { State: ProbeState.Open } && now >= probe.Expires && await store.UpdateProbeAsync(probe with { State = ProbeState.Expired }, ProbeState.Open))
            {
                Count(probe.Loop, "expired");
            }
            throw new ProbeRefusedException(refusal);
        }
        var answered = await AnswerAsync(probe!, text, now);
        return (answered, await EvaluateAsync(probe!.Loop));
    }

    /// <summary>Records the calibrator's rating of the simulated answer (only after their own answer) and rescores.</summary>
    public async Task<(Probe Probe, DriftState? Drift)> RateAsync(string id, string calibrator, int rating)
    {
        var probe = await store.GetProbeAsync(id);
        if (ProbeRules.RefuseRating(probe, id, calibrator, rating) is { } refusal)
        {
            throw new ProbeRefusedException(refusal);
        }
        var rated = probe! with { State = ProbeState.Rated, Rating = rating, Score = ProbeScoring.Combine(probe.Similarity ?? 0, rating) };
        if (!await store.UpdateProbeAsync(rated, ProbeState.Answered))
        {
            throw new ProbeRefusedException($"probe '{id}' changed while it was being rated; try again");
        }
        return (rated, await EvaluateAsync(probe.Loop));
    }

    private async Task<Probe> AnswerAsync(Probe probe, string text, DateTimeOffset now)
    {
        // Off the caller's thread: a branch's driver and the calibration grain run on grain schedulers, and the
        // first call loads the embedding model (about half a second).
        var similarity = await Task.Run(() => scorer.Similarity(text, probe.Simulated));
        var answered = probe with { State = ProbeState.Answered, Answer = text, AnsweredAt = now, Similarity = similarity, Score = ProbeScoring.Combine(similarity, null) };
        if (!await store.UpdateProbeAsync(answered, ProbeState.Open))
        {
            throw new ProbeRefusedException($"probe '{probe.Id}' is already answered");
        }
        Count(probe.Loop, "answered");
        return answered;
    }

    /// <summary>Probes of a loop, with those past their time marked expired.</summary>
    public async Task<IReadOnlyList<Probe>> ListAsync(string? loop)
    {
        var list = new List<Probe>();
        foreach (var p in await store.ListProbesAsync(loop))
        {
            list.Add(await ExpireIfDueAsync(p));
        }
        return list;
    }

    /// <summary>One probe (marked expired if past its time), or null.</summary>
    public async Task<Probe?> GetAsync(string id) => await store.GetProbeAsync(id) is { } p ? await ExpireIfDueAsync(p) : null;

    private async Task<Probe> ExpireIfDueAsync(Probe p)
    {
        if (p.State != ProbeState.Open || clock.Time.GetUtcNow() < p.Expires)
        {
            return p;
        }
        var expired = p with { State = ProbeState.Expired };
        if (await store.UpdateProbeAsync(expired, ProbeState.Open))
        {
            Count(p.Loop, "expired");
        }
        return expired;
    }

    public async Task<DriftState?> EvaluateAsync(string loop) => await SpecAsync(loop) is { } spec ? await EvaluateAsync(spec) : null;

    public async Task<LoopSpec?> SpecAsync(string loop) => await store.GetLoopAsync(loop) is { } record ? SpecJson.Deserialize(record.SpecJson) : null;

    /// <summary>The drift test now: from the scores changed since the last look (the hot path: after every sampled day).</summary>
    public async Task<DriftState?> EvaluateAsync(LoopSpec spec) => spec.Calibration is { } c
        ? await _drift.EvaluateAsync(spec.Name, c.Drift)
        : null;

    /// <summary>
    /// The drift test over the scored probes in the order of the simulated days (then branches), not the order they
    /// were answered in: drift grows with the loop's days, and branches run at their own pace, so a fast branch's
    /// late days must not become part of the baseline. A late answer to an early day takes its place in the order.
    /// This full recomputation serves status; <see cref="DriftTracker"/> keeps the same order incrementally.
    /// </summary>
    public static DriftState Evaluate(IEnumerable<Probe> probes, DriftTestSpec test) => DriftMonitor.Evaluate(
        probes.Where(p => p.Score is not null).OrderBy(p => p.Day).ThenBy(p => p.Branch).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => (p.Id, p.Score!.Value, p.Acknowledged)),
        test);

    /// <summary>The loop's calibration summary for status, or null when it has no calibration.</summary>
    public static CalibrationStatus? Summarize(LoopSpec spec, IReadOnlyList<Probe> probes, DateTimeOffset now)
    {
        if (spec.Calibration is not { } c)
        {
            return null;
        }
        var expired = probes.Count(p => p.State == ProbeState.Expired || (p.State == ProbeState.Open && now >= p.Expires));
        var scored = probes.Where(p => p.Score is not null).ToList();
        return new CalibrationStatus(spec.Researcher.Id, c.Calibrator.Id, probes.Count, probes.Count(p => p.State == ProbeState.Open && now < p.Expires),
            scored.Count, probes.Count(p => p.State == ProbeState.Rated), expired, scored.Count == 0 ? null : Math.Round(scored.Average(p => p.Score!.Value), 4),
            Evaluate(probes, c.Drift).Describe());
    }

    /// <summary>The reason a paused loop shows: the test, and the probes that made it fire with their scores.</summary>
    public static string PauseReason(DriftState drift, DriftTestSpec test) =>
        $"drift: the drift test fired (CUSUM {drift.Cusum:0.0} > {test.Threshold:0.#}; baseline score {drift.BaselineMean:0.000}); evidence: "
        + string.Join(", ", drift.Evidence.Select(e => $"{e.Probe} scored {e.Score:0.000}"));

    private static void Count(string loop, string what) => Mimicry.Telemetry.MimicryTelemetry.Probes.Add(1,
        new KeyValuePair<string, object?>(Mimicry.Telemetry.MimicryTelemetry.LoopTag, loop), new(Mimicry.Telemetry.MimicryTelemetry.ProbeEventTag, what));
}
