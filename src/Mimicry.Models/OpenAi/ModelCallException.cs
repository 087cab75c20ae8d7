namespace Mimicry.Models.OpenAi;

/// <summary>
/// A model call that did not give an entry. The message is what the session records as its reason;
/// <see cref="Retry"/> says whether another attempt could help, <see cref="RetryAfter"/> what the server asked.
/// </summary>
public sealed class ModelCallException(string message, bool retry, TimeSpan? retryAfter = null, bool throttled = false, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Retry { get; } = retry;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The server said 429: send less.</summary>
    public bool Throttled { get; } = throttled;
}
