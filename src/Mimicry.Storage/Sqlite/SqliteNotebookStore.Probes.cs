using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Mimicry.Status;

namespace Mimicry.Storage.Sqlite;

/// <summary>Calibration probes in the embedded store: the record as JSON, state and acknowledgement as columns.</summary>
public sealed partial class SqliteNotebookStore
{
    public Task<bool> AddProbeAsync(Probe probe) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get(
            $"INSERT INTO probes(id, loop, researcher, calibrator, state, acknowledged, created, json, branch, day, score, score_seq) VALUES($id, $loop, $researcher, $calibrator, $state, $ack, $created, $json, $branch, $day, $score, {NextScoreSeq}) ON CONFLICT DO NOTHING",
            "$id", "$loop", "$researcher", "$calibrator", "$state", "$ack", "$created", "$json", "$branch", "$day", "$score");
        cmd.Parameters["$id"].Value = probe.Id;
        cmd.Parameters["$loop"].Value = probe.Loop;
        cmd.Parameters["$researcher"].Value = probe.Researcher;
        cmd.Parameters["$calibrator"].Value = probe.Calibrator;
        cmd.Parameters["$state"].Value = probe.State.ToString();
        cmd.Parameters["$ack"].Value = probe.Acknowledged ? 1 : 0;
        cmd.Parameters["$created"].Value = Iso(probe.Created);
        cmd.Parameters["$json"].Value = ProbeJson.Serialize(probe);
        cmd.Parameters["$branch"].Value = probe.Branch;
        cmd.Parameters["$day"].Value = probe.Day;
        cmd.Parameters["$score"].Value = (object?)probe.Score ?? DBNull.Value;
        return cmd.ExecuteNonQuery() == 1;
    });

    /// <summary>Every change of a score or acknowledgement takes the next number; the one writer keeps them in commit order.</summary>
    private const string NextScoreSeq = "(SELECT COALESCE(MAX(score_seq), 0) + 1 FROM probes)";

    public async Task<Probe?> GetProbeAsync(string id) => (await QueryProbesAsync("WHERE id = $p", id)).SingleOrDefault();

    public Task<IReadOnlyList<Probe>> ListProbesAsync(string? loop) => loop is null ? QueryProbesAsync("", null) : QueryProbesAsync("WHERE loop = $p", loop);

    private Task<IReadOnlyList<Probe>> QueryProbesAsync(string where, string? parameter) => ReadAsync<IReadOnlyList<Probe>>(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT json, state, acknowledged FROM probes {where} ORDER BY created, id";
        if (parameter is not null)
        {
            cmd.Parameters.AddWithValue("$p", parameter);
        }
        using var r = cmd.ExecuteReader();
        var list = new List<Probe>();
        while (r.Read())
        {
            list.Add(ProbeJson.Deserialize(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0));
        }
        return list;
    });

    public Task<bool> UpdateProbeAsync(Probe probe, ProbeState expected) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get($"UPDATE probes SET state = $state, acknowledged = $ack, json = $json, score = $score, score_seq = {NextScoreSeq} WHERE id = $id AND state = $expected",
            "$state", "$ack", "$json", "$id", "$expected", "$score");
        cmd.Parameters["$score"].Value = (object?)probe.Score ?? DBNull.Value;
        cmd.Parameters["$state"].Value = probe.State.ToString();
        cmd.Parameters["$ack"].Value = probe.Acknowledged ? 1 : 0;
        cmd.Parameters["$json"].Value = ProbeJson.Serialize(probe);
        cmd.Parameters["$id"].Value = probe.Id;
        cmd.Parameters["$expected"].Value = expected.ToString();
        return cmd.ExecuteNonQuery() == 1;
    });

    public Task AcknowledgeProbesAsync(string loop) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get($"UPDATE probes SET acknowledged = 1, score_seq = {NextScoreSeq} WHERE loop = $loop AND state IN ('Answered', 'Rated')", "$loop");
        cmd.Parameters["$loop"].Value = loop;
        return cmd.ExecuteNonQuery();
    });

    public Task<ProbeScoreChanges> ReadProbeScoresAsync(string loop, long since) => ReadAsync(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, branch, day, score, acknowledged, score_seq FROM probes WHERE loop = $loop AND score_seq >= $since AND score IS NOT NULL";
        cmd.Parameters.AddWithValue("$loop", loop);
        cmd.Parameters.AddWithValue("$since", since);
        using var r = cmd.ExecuteReader();
        var changed = new List<ProbeScore>();
        var next = since;
        while (r.Read())
        {
            changed.Add(new ProbeScore(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3), r.GetInt64(4) != 0));
            next = Math.Max(next, r.GetInt64(5) + 1);
        }
        return new ProbeScoreChanges(changed, next);
    });
}
