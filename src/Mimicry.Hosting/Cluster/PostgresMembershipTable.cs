using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Mimicry.Storage.Postgres;
using Npgsql;
using Orleans.Configuration;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// Orleans cluster membership kept in Mimicry's own PostgreSQL tables (migration 0002), so a cluster needs no
/// server but the one that holds the notebooks. Every change names the table version's etag it read and bumps it
/// in the same transaction: of two silos racing to change the table, one wins and the other re-reads.
/// </summary>
internal sealed class PostgresMembershipTable(ClusterDatabase database, IOptions<ClusterOptions> cluster) : IMembershipTable
{
    private readonly string _clusterId = cluster.Value.ClusterId;

    private NpgsqlDataSource Db => database.DataSource;

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        if (!tryInitTableVersion)
        {
            return;
        }
        await using var c = await Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("INSERT INTO mimicry_membership_version(cluster_id, version, etag) VALUES ($1, 0, 0) ON CONFLICT DO NOTHING", c);
        cmd.Parameters.AddWithValue(_clusterId);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var c = await Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM mimicry_membership_version WHERE cluster_id = $1", c);
        cmd.Parameters.AddWithValue(clusterId);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        await using var c = await Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM mimicry_membership WHERE cluster_id = $1 AND status = $2 AND i_am_alive < $3", c);
        cmd.Parameters.AddWithValue(_clusterId);
        // Only rows of silos declared dead, as Orleans' own scripts do: a joining or stopping silo keeps its row.
        cmd.Parameters.AddWithValue((int)SiloStatus.Dead);
        cmd.Parameters.AddWithValue(beforeDate.ToUniversalTime());
        await cmd.ExecuteNonQueryAsync();
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadAsync(key);

    public Task<MembershipTableData> ReadAll() => ReadAsync(null);

    private async Task<MembershipTableData> ReadAsync(SiloAddress? key)
    {
        await using var c = await Db.OpenConnectionAsync();
        // One snapshot for the version and the rows, so they agree.
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        TableVersion version;
        await using (var v = new NpgsqlCommand("SELECT version, etag FROM mimicry_membership_version WHERE cluster_id = $1", c, tx))
        {
            v.Parameters.AddWithValue(_clusterId);
            await using var r = await v.ExecuteReaderAsync();
            version = await r.ReadAsync() ? new TableVersion(r.GetInt32(0), Etag(r.GetInt32(1))) : new TableVersion(0, "0");
        }
        var rows = new List<Tuple<MembershipEntry, string>>();
        var sql = "SELECT address, port, generation, silo_name, host_name, status, proxy_port, suspect_times, start_time, i_am_alive, etag FROM mimicry_membership WHERE cluster_id = $1";
        if (key is not null)
        {
            sql += " AND address = $2 AND port = $3 AND generation = $4";
        }
        await using (var cmd = new NpgsqlCommand(sql, c, tx))
        {
            cmd.Parameters.AddWithValue(_clusterId);
            if (key is not null)
            {
                cmd.Parameters.AddWithValue(key.Endpoint.Address.ToString());
                cmd.Parameters.AddWithValue(key.Endpoint.Port);
                cmd.Parameters.AddWithValue(key.Generation);
            }
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                rows.Add(Tuple.Create(ReadEntry(r), Etag(r.GetInt32(10))));
            }
        }
        await tx.CommitAsync();
        return new MembershipTableData(rows, version);
    }

    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        await using var c = await Db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (!await BumpVersionAsync(c, tx, tableVersion))
        {
            return false;
        }
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO mimicry_membership(cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, suspect_times, start_time, i_am_alive, etag)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0) ON CONFLICT DO NOTHING
            """, c, tx);
        AddKey(cmd, entry.SiloAddress);
        AddFields(cmd, entry);
        if (await cmd.ExecuteNonQueryAsync() != 1)
        {
            return false;
        }
        await tx.CommitAsync();
        return true;
    }

    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        await using var c = await Db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (!await BumpVersionAsync(c, tx, tableVersion))
        {
            return false;
        }
        await using var cmd = new NpgsqlCommand(
            """
            UPDATE mimicry_membership SET silo_name = $5, host_name = $6, status = $7, proxy_port = $8, suspect_times = $9, start_time = $10, i_am_alive = GREATEST(i_am_alive, $11), etag = etag + 1
            WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4 AND etag = $12
            """, c, tx);
        AddKey(cmd, entry.SiloAddress);
        AddFields(cmd, entry);
        cmd.Parameters.AddWithValue(int.Parse(etag, CultureInfo.InvariantCulture));
        if (await cmd.ExecuteNonQueryAsync() != 1)
        {
            return false;
        }
        await tx.CommitAsync();
        return true;
    }

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        await using var c = await Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("UPDATE mimicry_membership SET i_am_alive = GREATEST(i_am_alive, $5) WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4", c);
        AddKey(cmd, entry.SiloAddress);
        cmd.Parameters.AddWithValue(Utc(entry.IAmAliveTime));
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<bool> BumpVersionAsync(NpgsqlConnection c, NpgsqlTransaction tx, TableVersion next)
    {
        await using var cmd = new NpgsqlCommand("UPDATE mimicry_membership_version SET version = $2, etag = etag + 1, updated = now() WHERE cluster_id = $1 AND etag = $3", c, tx);
        cmd.Parameters.AddWithValue(_clusterId);
        cmd.Parameters.AddWithValue(next.Version);
        cmd.Parameters.AddWithValue(int.Parse(next.VersionEtag, CultureInfo.InvariantCulture));
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    private void AddKey(NpgsqlCommand cmd, SiloAddress silo)
    {
        cmd.Parameters.AddWithValue(_clusterId);
        cmd.Parameters.AddWithValue(silo.Endpoint.Address.ToString());
        cmd.Parameters.AddWithValue(silo.Endpoint.Port);
        cmd.Parameters.AddWithValue(silo.Generation);
    }

    private static void AddFields(NpgsqlCommand cmd, MembershipEntry e)
    {
        cmd.Parameters.AddWithValue(e.SiloName ?? "");
        cmd.Parameters.AddWithValue(e.HostName ?? "");
        cmd.Parameters.AddWithValue((int)e.Status);
        cmd.Parameters.AddWithValue(e.ProxyPort);
        cmd.Parameters.AddWithValue((object?)FormatSuspects(e.SuspectTimes) ?? DBNull.Value);
        cmd.Parameters.AddWithValue(Utc(e.StartTime));
        cmd.Parameters.AddWithValue(Utc(e.IAmAliveTime));
    }

    private static MembershipEntry ReadEntry(NpgsqlDataReader r) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Parse(r.GetString(0)), r.GetInt32(1), r.GetInt32(2)),
        SiloName = r.GetString(3),
        HostName = r.GetString(4),
        Status = (SiloStatus)r.GetInt32(5),
        ProxyPort = r.GetInt32(6),
        SuspectTimes = r.IsDBNull(7) ? null : ParseSuspects(r.GetString(7)),
        StartTime = r.GetDateTime(8),
        IAmAliveTime = r.GetDateTime(9),
    };

    /// <summary>Suspicions as "silo@ticks|silo@ticks" (a silo's parsable form has no '|' or '@').</summary>
    private static string? FormatSuspects(List<Tuple<SiloAddress, DateTime>>? suspects) =>
        suspects is null || suspects.Count == 0
            ? null
            : string.Join('|', suspects.Select(s => $"{s.Item1.ToParsableString()}@{Utc(s.Item2).Ticks.ToString(CultureInfo.InvariantCulture)}"));

    private static List<Tuple<SiloAddress, DateTime>> ParseSuspects(string text) => text.Split('|').Select(s =>
    {
        var at = s.LastIndexOf('@');
        return Tuple.Create(SiloAddress.FromParsableString(s[..at]), new DateTime(long.Parse(s[(at + 1)..], CultureInfo.InvariantCulture), DateTimeKind.Utc));
    }).ToList();

    private static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

    private static string Etag(int etag) => etag.ToString(CultureInfo.InvariantCulture);
}
