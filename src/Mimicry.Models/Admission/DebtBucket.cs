namespace Mimicry.Models.Admission;

/// <summary>
/// A token bucket that may go into debt: a reservation is granted at once and subtracts its amount; the caller
/// waits until the level it found is paid back. Average throughput is exactly the rate (a large reservation
/// delays the ones after it), the first <c>capacity</c> units pass at once, and callers are served in the order
/// they reserve. Pure: the caller passes the time. The capacity is <see cref="BurstSeconds"/> of the current rate
/// (at least one unit), so when a silo's share of a quota changes, so does its burst.
/// </summary>
public sealed class DebtBucket(double burstSeconds)
{
    private readonly Lock _gate = new();
    private double? _level;
    private DateTimeOffset? _last;

    public double BurstSeconds { get; } = burstSeconds;

    private double Capacity(double ratePerSecond) => Math.Max(1, ratePerSecond * BurstSeconds);

    /// <summary>
    /// Reserves <paramref name="amount"/> at <paramref name="ratePerSecond"/> (which may change between calls, as the
    /// cluster's share changes) and returns how long the caller must wait before using it.
    /// </summary>
    public TimeSpan Reserve(double amount, double ratePerSecond, DateTimeOffset now)
    {
        lock (_gate)
        {
            var level = Refill(ratePerSecond, now);
            var wait = level >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-level / ratePerSecond);
            _level = level - amount;
            return wait;
        }
    }

    /// <summary>Corrects a reservation once the real amount is known: positive takes more, negative gives back.</summary>
    public void Adjust(double delta, double ratePerSecond, DateTimeOffset now)
    {
        lock (_gate)
        {
            _level = Math.Min(Capacity(ratePerSecond), Refill(ratePerSecond, now) - delta);
        }
    }

    private double Refill(double ratePerSecond, DateTimeOffset now)
    {
        var level = _level ?? Capacity(ratePerSecond);
        if (_last is { } last && now > last)
        {
            level = Math.Min(Capacity(ratePerSecond), level + (now - last).TotalSeconds * ratePerSecond);
        }
        if (_last is null || now > _last)
        {
            _last = now;
        }
        return level;
    }
}
