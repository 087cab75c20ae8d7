namespace Mimicry.Models.Admission;

/// <summary>
/// How many requests may be in flight to a backend: additive increase, multiplicative decrease. Each success
/// raises the limit by 1/limit (about one per round of requests); a throttle (429) halves it, at most once per
/// <see cref="CoolDown"/>, so one storm of 429s from requests already in flight counts once. Never above the
/// configured maximum or below one.
/// </summary>
public sealed class AdaptiveConcurrency(int max, TimeProvider time)
{
    public static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private double _limit = max;
    private int _inFlight;
    private DateTimeOffset _lastDecrease = DateTimeOffset.MinValue;

    public int Max { get; } = max;

    public double Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_inFlight < (int)_limit && _waiters.Count == 0)
            {
                _inFlight++;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }
        using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
        {
            try
            {
                await waiter.Task;
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    // If the slot was handed over just as we gave up, pass it on.
                    if (waiter.Task.IsCompletedSuccessfully)
                    {
                        _inFlight--;
                        Wake();
                    }
                }
                throw;
            }
        }
    }

    /// <summary>Frees a slot. Only a success raises the limit and only a throttle lowers it; other failures leave it.</summary>
    public void Release(bool throttled, bool succeeded = true)
    {
        lock (_gate)
        {
            _inFlight--;
            var now = time.GetUtcNow();
            if (!succeeded && !throttled)
            {
                Wake();
                return;
            }
            if (throttled)
            {
                if (now - _lastDecrease >= CoolDown)
                {
                    _limit = Math.Max(1, _limit / 2);
                    _lastDecrease = now;
                }
            }
            else
            {
                _limit = Math.Min(Max, _limit + 1 / _limit);
            }
            Wake();
        }
    }

    private void Wake()
    {
        while (_inFlight < (int)_limit && _waiters.TryDequeue(out var next))
        {
            if (next.TrySetResult())
            {
                _inFlight++;
            }
        }
    }
}
