namespace Mimicry.Client;

/// <summary>
/// A branch-day held for a person (review gate, tripwire quarantine, or <c>review.top</c>: then <see cref="Shortlist"/> is the
/// critic's top k, best first, and picks must come from it). Candidate text is untrusted model output.
/// </summary>
public sealed record ReviewView(
    string Id, string Loop, int Branch, int Day, int Attempt, IReadOnlyList<string> Reasons, DateTimeOffset Anchor, string Selection, int Seen,
    double SelectionBits, double RerollBits, IReadOnlyList<int> Chosen, IReadOnlyList<ReviewCandidateView> Candidates, DateTimeOffset Created, string State,
    string? DecidedBy, DateTimeOffset? DecidedAt, IReadOnlyList<int>? Picks, double PickBits, int EarlierSessions, long EarlierInputTokens, long EarlierOutputTokens,
    IReadOnlyList<int>? Shortlist = null);

/// <summary>One held candidate and every tripwire's verdict on it.</summary>
public sealed record ReviewCandidateView(int Slot, string? Text, int InputTokens, int OutputTokens, IReadOnlyList<TripwireVerdictView> Verdicts);

/// <summary>One detector's verdict.</summary>
public sealed record TripwireVerdictView(string Detector, bool Tripped, string Detail);

/// <summary>The body of <c>POST /reviews/{id}/approve</c>: the candidates to keep, or null for the selection's choice.</summary>
public sealed record ApproveRequest(IReadOnlyList<int>? Picks = null);

/// <summary>The body of <c>POST /tripwires/check</c>: a text, the anchor to judge dates against, optional reference texts.</summary>
public sealed record TripwireCheckRequest(string Text, DateTimeOffset? Anchor = null, IReadOnlyList<string>? References = null);

/// <summary>The body of <c>POST /models/check</c>: one of the server's backends, and a model (default: its first allowed one).</summary>
public sealed record ModelCheckRequest(string Backend, string? Model = null);

/// <summary>What one small request to a backend showed. <see cref="Reply"/> is the model's text: untrusted.</summary>
public sealed record ModelCheckResult(string Backend, string Model, string? AnsweredBy, double LatencyMs, int InputTokens, int OutputTokens, double Cost, string Currency, string Reply);

/// <summary>What <c>POST /tripwires/eval</c> reports: recall over the should-trip texts, false hits over the benign ones, and each group's share.</summary>
public sealed record TripwireEvalView(int Texts, double Recall, double FalseHits, IReadOnlyList<TripwireEvalScoreView> Scores);

/// <summary>One category (subcategory null) or subcategory of a corpus: texts, how many tripped, and the share.</summary>
public sealed record TripwireEvalScoreView(string Category, string? Subcategory, bool ShouldTrip, int Texts, int Tripped, double Rate);
