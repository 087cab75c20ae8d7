using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// Retries an operation through passing outages (see <see cref="PostgresErrors.IsTransient"/>) with capped
/// exponential backoff and jitter, for at most <see cref="Window"/>; after that the caller gets a
/// <see cref="StoreException"/> that says what is wrong.
/// </summary>
public sealed class PostgresRetry(TimeSpan window, string connectionString)
{
    public TimeSpan Window { get; } = window;

    public async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await operation();
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow - started + delay > Window)
                {
                    throw new StoreException($"{PostgresErrors.Describe(ex, connectionString)} (still failing after {Window.TotalSeconds:0.#} s of retries)", ex);
                }
                if (ex is NpgsqlException)
                {
                    // Pooled connections to a restarted server are dead; don't hand them out again.
                    NpgsqlConnection.ClearAllPools();
                }
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(delay.TotalMilliseconds / 2) + 1)), cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }
}
