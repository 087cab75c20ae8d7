using Mimicry.Status;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>Calibration probes in the cluster's store: the record as JSON; state, acknowledgement and the drift test's score as columns.</summary>
public sealed partial class PostgresNotebookStore
{
    public async Task<bool> AddProbeAsync(Probe probe) => await _writer.Enqueue(
        """
        WITH i AS (INSERT INTO mimicry_probes(id, loop, researcher, calibrator, state, acknowledged, created, json, branch, day, score, score_txid)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, pg_current_xact_id()::text::bigint) ON CONFLICT DO NOTHING RETURNING 1)
        SELECT count(*) FROM i
        """,
        probe.Id, probe.Loop, probe.Researcher, probe.Calibrator, probe.State.ToString(), probe.Acknowledged, probe.Created.ToUniversalTime(), ProbeJson.Serialize(probe),
        probe.Branch, probe.Day, (object?)probe.Score ?? DBNull.Value) == 1;

    public async Task<Probe?> GetProbeAsync(string id) => (await QueryProbesAsync("WHERE id = $1", id)).SingleOrDefault();

    public Task<IReadOnlyList<Probe>> ListProbesAsync(string? loop) => loop is null ? QueryProbesAsync("", null) : QueryProbesAsync("WHERE loop = $1", loop);

    private Task<IReadOnlyList<Probe>> QueryProbesAsync(string where, string? parameter) => ReadAsync<IReadOnlyList<Probe>>(async c =>
    {
        await using var cmd = new NpgsqlCommand($"SELECT json, state, acknowledged FROM mimicry_probes {where} ORDER BY created, id", c);
        if (parameter is not null)
        {
            cmd.Parameters.AddWithValue(parameter);
        }
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<Probe>();
        while (await r.ReadAsync())
        {
            list.Add(ProbeJson.Deserialize(r.GetString(0), r.GetString(1), r.GetBoolean(2)));
        }
        return list;
    });

    public async Task<bool> UpdateProbeAsync(Probe probe, ProbeState expected) => await _writer.Enqueue(
        """
        WITH u AS (UPDATE mimicry_probes SET state = $2, acknowledged = $3, json = $4, score = $6, score_txid = pg_current_xact_id()::text::bigint
                   WHERE id = $1 AND state = $5 RETURNING 1)
        SELECT count(*) FROM u
        """,
        probe.Id, probe.State.ToString(), probe.Acknowledged, ProbeJson.Serialize(probe), expected.ToString(), (object?)probe.Score ?? DBNull.Value) == 1;

    public Task AcknowledgeProbesAsync(string loop) => _writer.Enqueue(
        """
        WITH u AS (UPDATE mimicry_probes SET acknowledged = true, score_txid = pg_current_xact_id()::text::bigint
                   WHERE loop = $1 AND state IN ('Answered', 'Rated') RETURNING 1)
        SELECT count(*) FROM u
        """, loop);

    /// <summary>
    /// Transactions commit out of the order of their ids, so the mark is the snapshot's xmin, taken before the rows
    /// are read: every transaction below it has ended (its rows are visible to the read that follows), and any
    /// still running has an id at or above it and is read next time.
    /// </summary>
    public Task<ProbeScoreChanges> ReadProbeScoresAsync(string loop, long since) => ReadAsync(async c =>
    {
        long next;
        await using (var mark = new NpgsqlCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint", c))
        {
            next = (long)(await mark.ExecuteScalarAsync())!;
        }
        await using var cmd = new NpgsqlCommand(
            "SELECT id, branch, day, score, acknowledged FROM mimicry_probes WHERE loop = $1 AND score_txid >= $2 AND score IS NOT NULL", c);
        cmd.Parameters.AddWithValue(loop);
        cmd.Parameters.AddWithValue(since);
        await using var r = await cmd.ExecuteReaderAsync();
        var changed = new List<ProbeScore>();
        while (await r.ReadAsync())
        {
            changed.Add(new ProbeScore(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3), r.GetBoolean(4)));
        }
        return new ProbeScoreChanges(changed, Math.Max(next, since));
    });
}
