using Mimicry.Spec;

namespace Mimicry.Models.Admission;

/// <summary>
/// Admission to one backend on this silo: adaptive concurrency, then this silo's share of requests per minute and
/// tokens per minute, then any pause a 429's Retry-After asked for. One gate per backend and limits, shared by every
/// loop on the silo that uses it.
/// </summary>
public sealed class BackendGate
{
    private readonly RateLimitSpec limits;
    private readonly IQuotaShare share;
    private readonly TimeProvider time;
    private readonly DebtBucket _requests;
    private readonly DebtBucket _tokens;
    private readonly Lock _gate = new();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public BackendGate(RateLimitSpec limits, IQuotaShare share, TimeProvider time)
    {
        this.limits = limits;
        this.share = share;
        this.time = time;
        // Bursts stay small (a fifth of a second of requests), so the rate a backend sees is smooth.
        _requests = new DebtBucket(burstSeconds: 0.2);
        _tokens = new DebtBucket(burstSeconds: 1);
        Concurrency = new AdaptiveConcurrency(limits.MaxConcurrency, time);
    }

    public AdaptiveConcurrency Concurrency { get; }

    public RateLimitSpec Limits => limits;

    private double RequestRate => limits.RequestsPerMinute / 60.0 / Math.Max(1, share.Silos);

    private double TokenRate => limits.TokensPerMinute / 60.0 / Math.Max(1, share.Silos);

    /// <summary>
    /// Waits for this silo's share of the quotas, then for a concurrency slot. The quota comes first so that a
    /// request waiting for its turn in the rate does not hold a slot: a small concurrency limit (after 429s) then
    /// still lets the full rate through, as long as requests are quick.
    /// </summary>
    public async Task AdmitAsync(int tokens, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wait = TimeSpan.Zero;
        if (limits.RequestsPerMinute > 0)
        {
            wait = Max(wait, _requests.Reserve(1, RequestRate, now));
        }
        if (limits.TokensPerMinute > 0)
        {
            wait = Max(wait, _tokens.Reserve(tokens, TokenRate, now));
        }
        lock (_gate)
        {
            wait = Max(wait, _pausedUntil - now);
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
        await Concurrency.AcquireAsync(cancellationToken);
        // A 429 may have asked for a pause while this request waited for its turn or its slot: nothing is sent
        // before a known pause ends. The slot is held meanwhile: nobody on this silo may send to the backend anyway.
        try
        {
            while (PausedFor() is { } rest)
            {
                await Task.Delay(rest, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Concurrency.Release(throttled: false, succeeded: false);
            throw;
        }
    }

    /// <summary>How long the current pause still lasts, or null when there is none.</summary>
    private TimeSpan? PausedFor()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _pausedUntil > now ? _pausedUntil - now : null;
        }
    }

    /// <summary>After a response: corrects the token reservation and frees the slot.</summary>
    public void Complete(int estimatedTokens, int actualTokens, bool throttled, bool succeeded = true)
    {
        if (limits.TokensPerMinute > 0 && actualTokens != estimatedTokens)
        {
            _tokens.Adjust(actualTokens - estimatedTokens, TokenRate, time.GetUtcNow());
        }
        Concurrency.Release(throttled, succeeded);
    }

    /// <summary>A 429 said when to come back: nobody on this silo sends to the backend before then.</summary>
    public void PauseFor(TimeSpan retryAfter)
    {
        var until = time.GetUtcNow() + retryAfter;
        lock (_gate)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
