namespace Mimicry.Status;

/// <summary>A loop's calibration at a glance: probes asked, waiting, answered, rated, expired; the mean score; the drift test.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.CalibrationStatus")]
public sealed record CalibrationStatus(
    [property: Id(0)] string Researcher,
    [property: Id(1)] string Calibrator,
    [property: Id(2)] int Asked,
    [property: Id(3)] int Open,
    [property: Id(4)] int Answered,
    [property: Id(5)] int Rated,
    [property: Id(6)] int Expired,
    [property: Id(7)] double? MeanScore,
    [property: Id(8)] string Drift);
