using Npgsql;

namespace Mimicry.Hosting.Cluster;

/// <summary>The cluster's PostgreSQL data source, shared by the membership table and the gateway list.</summary>
public sealed class ClusterDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
