using Mimicry.Status;
using Orleans.Concurrency;

namespace Mimicry.Grains.Calibration;

/// <summary>The calibrator's inbox on the service: any silo answers; a drift alarm pauses the probe's loop.</summary>
[StatelessWorker]
public sealed class CalibrationGrain(CalibrationService calibration) : Grain, ICalibrationGrain
{
    Task<IReadOnlyList<Probe>> ICalibrationGrain.List(string? loop) => calibration.ListAsync(loop);

    Task<Probe?> ICalibrationGrain.Get(string id) => calibration.GetAsync(id);

    async Task<Probe> ICalibrationGrain.Answer(string id, string calibrator, string text)
    {
        var (probe, drift) = await Refusable(() => calibration.AnswerAsync(id, calibrator, text));
        await PauseIfDriftedAsync(probe, drift);
        return probe;
    }

    async Task<Probe> ICalibrationGrain.Rate(string id, string calibrator, int score)
    {
        var (probe, drift) = await Refusable(() => calibration.RateAsync(id, calibrator, score));
        await PauseIfDriftedAsync(probe, drift);
        return probe;
    }

    private async Task PauseIfDriftedAsync(Probe probe, Mimicry.Probes.DriftState? drift)
    {
        if (drift is { Alarm: true })
        {
            var spec = await calibration.SpecAsync(probe.Loop);
            await GrainFactory.GetGrain<ILoopGrain>(probe.Loop).Pause(CalibrationService.PauseReason(drift, spec!.Calibration!.Drift));
        }
    }

    private static async Task<T> Refusable<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (ProbeRefusedException ex)
        {
            // Crosses the wire as a plain exception type the client can show as is.
            throw new ArgumentException(ex.Message);
        }
    }
}
