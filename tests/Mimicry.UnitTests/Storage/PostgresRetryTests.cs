using System.Net.Sockets;
using Mimicry.Storage;
using Mimicry.Storage.Postgres;
using Npgsql;

namespace Mimicry.UnitTests.Storage;

/// <summary>The retry policy on its own: passing outages are ridden out, real errors are not retried, and a long outage ends in one clear sentence.</summary>
public sealed class PostgresRetryTests
{
    private const string Server = "Host=db.example;Port=5432;Username=mimicry;Password=hunter2;Database=mimicry";

    [Fact]
    public async Task TransientFailures_AreRetried_UntilTheOperationSucceeds()
    {
        var retry = new PostgresRetry(TimeSpan.FromSeconds(10), Server);
        var calls = 0;
        var result = await retry.RunAsync(() => ++calls < 4 ? throw new SocketException((int)SocketError.ConnectionRefused) : Task.FromResult(42));
        Assert.Equal((42, 4), (result, calls));
    }

    [Fact]
    public async Task ANonTransientError_IsNotRetried()
    {
        var retry = new PostgresRetry(TimeSpan.FromSeconds(10), Server);
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => retry.RunAsync<int>(() =>
        {
            calls++;
            throw new InvalidOperationException("a bug, not an outage");
        }));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AnOutageLongerThanTheWindow_EndsInAStoreException_ThatNamesTheServer_NotThePassword()
    {
        var retry = new PostgresRetry(TimeSpan.FromMilliseconds(400), Server);
        var calls = 0;
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<StoreException>(() => retry.RunAsync<int>(() =>
        {
            calls++;
            throw new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused));
        }));
        Assert.True(calls >= 2, $"retried {calls} times");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "gave up long after its window");
        Assert.Contains("db.example:5432", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("(still failing after 0.4 s of retries)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_StopsTheRetries()
    {
        var retry = new PostgresRetry(TimeSpan.FromSeconds(30), Server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var ex = await Record.ExceptionAsync(() => retry.RunAsync<int>(() => throw new TimeoutException("slow"), cancel.Token));
        Assert.True(ex is TimeoutException or OperationCanceledException, $"got {ex?.GetType().Name}");
    }

    [Fact]
    public async Task ABusyPool_IsWaitedOutAndRetried_AndThePoolIsCappedByDefault()
    {
        var server = Mimicry.Tests.Shared.TestPostgres.Server;
        await using var db = PostgresNotebookStore.CreateDataSource(server + ";Maximum Pool Size=1;Timeout=1");
        await using (var capped = PostgresNotebookStore.CreateDataSource(server))
        {
            var settings = new NpgsqlConnectionStringBuilder(capped.ConnectionString);
            Assert.Equal((PostgresNotebookStore.DefaultMaxPoolSize, 5), (settings.MaxPoolSize, settings.Timeout));
        }
        var held = await db.OpenConnectionAsync();
        var retry = new PostgresRetry(TimeSpan.FromSeconds(20), server);
        var attempts = 0;
        var release = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => held.Dispose(), TaskScheduler.Default);
        var answer = await retry.RunAsync(async () =>
        {
            attempts++;
            await using var c = await db.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("SELECT 42", c);
            return (int)(await cmd.ExecuteScalarAsync())!;
        });
        await release;
        Assert.Equal(42, answer);
        Assert.True(attempts >= 2, $"the exhausted pool was not retried ({attempts} attempt)");
    }
}
