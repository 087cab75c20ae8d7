namespace Mimicry.Client;

/// <summary>
/// A calibration probe: the situation a session faced, put to the real researcher. <see cref="Simulated"/> is null
/// for the calibrator until they have answered (they answer blind).
/// </summary>
public sealed record ProbeView(
    string Id, string Loop, string Researcher, string Calibrator, int Branch, int Day, DateTimeOffset Anchor, string Question,
    IReadOnlyList<string> Notebook, string? Simulated, DateTimeOffset Created, DateTimeOffset Expires, string State,
    string? Answer, DateTimeOffset? AnsweredAt, int? Rating, double? Similarity, double? Score, bool Acknowledged);

/// <summary>The body of <c>POST /probes/{id}/answer</c>.</summary>
public sealed record AnswerRequest(string Text);

/// <summary>The body of <c>POST /probes/{id}/rate</c>: 1 (not like me) to 5 (what I would have written).</summary>
public sealed record RateRequest(int Score);
