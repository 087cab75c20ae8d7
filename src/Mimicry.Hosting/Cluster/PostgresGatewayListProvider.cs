using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Mimicry.Hosting.Cluster;

/// <summary>A client finds the gateways of its cluster in the membership table: every active silo is one.</summary>
internal sealed class PostgresGatewayListProvider(ClusterDatabase database, IOptions<ClusterOptions> cluster) : IGatewayListProvider
{
    public TimeSpan MaxStaleness => TimeSpan.FromSeconds(10);

    [Obsolete("Orleans no longer reads this")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways() =>
        (await ActiveGatewaysAsync(database.DataSource, cluster.Value.ClusterId)).Select(g => g.ToGatewayUri()).ToList();

    public static async Task<List<SiloAddress>> ActiveGatewaysAsync(NpgsqlDataSource db, string clusterId)
    {
        await using var c = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT address, proxy_port, generation FROM mimicry_membership WHERE cluster_id = $1 AND status = $2 AND proxy_port > 0", c);
        cmd.Parameters.AddWithValue(clusterId);
        cmd.Parameters.AddWithValue((int)SiloStatus.Active);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<SiloAddress>();
        while (await r.ReadAsync())
        {
            list.Add(SiloAddress.New(IPAddress.Parse(r.GetString(0)), r.GetInt32(1), r.GetInt32(2)));
        }
        return list;
    }

    /// <summary>Cluster ids that have an active silo in this database, for "did you mean" in errors.</summary>
    public static async Task<List<string>> ActiveClustersAsync(NpgsqlDataSource db)
    {
        await using var c = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT DISTINCT cluster_id FROM mimicry_membership WHERE status = $1 ORDER BY 1", c);
        cmd.Parameters.AddWithValue((int)SiloStatus.Active);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await r.ReadAsync())
        {
            list.Add(r.GetString(0));
        }
        return list;
    }
}
