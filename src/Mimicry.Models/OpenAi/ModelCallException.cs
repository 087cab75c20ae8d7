using Mimicry.Simulation;

namespace Mimicry.Models.OpenAi;

/// <summary>
/// A model call that did not give an entry. The message is what the session records as its reason;
/// <see cref="Retry"/> says whether another attempt could help, <see cref="RetryAfter"/> what the server asked, and
/// <see cref="Reason"/> the kind of failure for metrics. Tokens the server billed for failed attempts ride along.
/// </summary>
public sealed class ModelCallException(string message, bool retry, TimeSpan? retryAfter = null, bool throttled = false, Exception? inner = null, string reason = "error")
    : Exception(message, inner), IBilledFailure
{
    public bool Retry { get; } = retry;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The server said 429: send less.</summary>
    public bool Throttled { get; } = throttled;

    /// <summary>One of a fixed few (throttled, timeout, server_error, network, malformed, refused, too_large, error): a metric label.</summary>
    public string Reason { get; } = throttled ? "throttled" : reason;

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }
}
