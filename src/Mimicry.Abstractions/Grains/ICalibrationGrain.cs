using Mimicry.Status;

namespace Mimicry.Grains;

/// <summary>
/// The calibrator's inbox, for the CLI and (later) the web UI: list, show, answer, rate. A stateless worker over
/// the store; a refused action fails with <see cref="ArgumentException"/> whose message says why, and changes nothing.
/// </summary>
[Alias("mimicry.ICalibrationGrain")]
public interface ICalibrationGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<Probe>> List(string? loop);

    [Alias("Get")]
    Task<Probe?> Get(string id);

    [Alias("Answer")]
    Task<Probe> Answer(string id, string calibrator, string text);

    [Alias("Rate")]
    Task<Probe> Rate(string id, string calibrator, int score);
}
