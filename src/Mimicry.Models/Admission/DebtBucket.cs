namespace Mimicry.Models.Admission;

/// <summary>
/// A token bucket that may go into debt: a reservation is granted at once and subtracts its amount; the caller
/// waits until the level it found is paid back. Average throughput is exactly the rate (a large reservation
/// delays the ones after it), the first <c>capacity</c> units pass at once, and callers are served in the order
/// they reserve. Pure: the caller passes the time.
/// </summary>
public sealed class DebtBucket(double capacity)
{
    private readonly Lock _gate = new();
    private double _level = capacity;
    private DateTimeOffset? _last;

    public double Capacity { get; } = capacity;

    /// <summary>
    /// Reserves <paramref name="amount"/> at <paramref name="ratePerSecond"/> (which may change between calls, as the
    /// cluster's share changes) and returns how long the caller must wait before using it.
    /// </summary>
    public TimeSpan Reserve(double amount, double ratePerSecond, DateTimeOffset now)
    {
        lock (_gate)
        {
            Refill(ratePerSecond, now);
            var wait = _level >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_level / ratePerSecond);
            _level -= amount;
            return wait;
        }
    }

    /// <summary>Corrects a reservation once the real amount is known: positive takes more, negative gives back.</summary>
    public void Adjust(double delta, double ratePerSecond, DateTimeOffset now)
    {
        lock (_gate)
        {
            Refill(ratePerSecond, now);
            _level = Math.Min(Capacity, _level - delta);
        }
    }

    private void Refill(double ratePerSecond, DateTimeOffset now)
    {
        if (_last is { } last && now > last)
        {
            _level = Math.Min(Capacity, _level + (now - last).TotalSeconds * ratePerSecond);
        }
        if (_last is null || now > _last)
        {
            _last = now;
        }
    }
}
