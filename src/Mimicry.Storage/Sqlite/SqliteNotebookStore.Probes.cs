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
            "INSERT INTO probes(id, loop, researcher, calibrator, state, acknowledged, created, json) VALUES($id, $loop, $researcher, $calibrator, $state, $ack, $created, $json) ON CONFLICT DO NOTHING",
            "$id", "$loop", "$researcher", "$calibrator", "$state", "$ack", "$created", "$json");
        cmd.Parameters["$id"].Value = probe.Id;
        cmd.Parameters["$loop"].Value = probe.Loop;
        cmd.Parameters["$researcher"].Value = probe.Researcher;
        cmd.Parameters["$calibrator"].Value = probe.Calibrator;
        cmd.Parameters["$state"].Value = probe.State.ToString();
        cmd.Parameters["$ack"].Value = probe.Acknowledged ? 1 : 0;
        cmd.Parameters["$created"].Value = Iso(probe.Created);
        cmd.Parameters["$json"].Value = ProbeJson.Serialize(probe);
        return cmd.ExecuteNonQuery() == 1;
    });

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
        var cmd = cache.Get("UPDATE probes SET state = $state, acknowledged = $ack, json = $json WHERE id = $id AND state = $expected", "$state", "$ack", "$json", "$id", "$expected");
        cmd.Parameters["$state"].Value = probe.State.ToString();
        cmd.Parameters["$ack"].Value = probe.Acknowledged ? 1 : 0;
        cmd.Parameters["$json"].Value = ProbeJson.Serialize(probe);
        cmd.Parameters["$id"].Value = probe.Id;
        cmd.Parameters["$expected"].Value = expected.ToString();
        return cmd.ExecuteNonQuery() == 1;
    });

    public Task AcknowledgeProbesAsync(string loop) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get("UPDATE probes SET acknowledged = 1 WHERE loop = $loop AND state IN ('Answered', 'Rated')", "$loop");
        cmd.Parameters["$loop"].Value = loop;
        return cmd.ExecuteNonQuery();
    });
}
