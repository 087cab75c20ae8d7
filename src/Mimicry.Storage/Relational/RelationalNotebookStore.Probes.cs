using Mimicry.Status;

namespace Mimicry.Storage.Relational;

/// <summary>Calibration probes: the record as JSON; state, acknowledgement and the drift test's score as columns.</summary>
public abstract partial class RelationalNotebookStore
{
    public async Task<bool> AddProbeAsync(Probe probe) => await WriteAsync(
        $"""
        INSERT INTO {Probes}(id, loop, researcher, calibrator, state, acknowledged, created, json, branch, day, score, {Dialect.ScoreMarkColumn})
        VALUES(@id, @loop, @researcher, @calibrator, @state, @ack, @created, @json, @branch, @day, @score, {Dialect.NextScoreMark}) ON CONFLICT DO NOTHING
        """,
        ("id", probe.Id), ("loop", probe.Loop), ("researcher", probe.Researcher), ("calibrator", probe.Calibrator), ("state", probe.State.ToString()),
        ("ack", Dialect.Flag(probe.Acknowledged)), ("created", Dialect.Time(probe.Created)), ("json", RecordJson.Serialize(probe)),
        ("branch", probe.Branch), ("day", probe.Day), ("score", probe.Score)) == 1;

    public async Task<Probe?> GetProbeAsync(string id) => (await QueryProbesAsync("WHERE id = @p", id)).SingleOrDefault();

    public Task<IReadOnlyList<Probe>> ListProbesAsync(string? loop) => loop is null ? QueryProbesAsync("", null) : QueryProbesAsync("WHERE loop = @p", loop);

    private Task<IReadOnlyList<Probe>> QueryProbesAsync(string where, string? parameter) => ReadAsync<IReadOnlyList<Probe>>(async c =>
    {
        await using var cmd = parameter is null
            ? Command(c, $"SELECT json, state, acknowledged FROM {Probes} {where} ORDER BY created, id")
            : Command(c, $"SELECT json, state, acknowledged FROM {Probes} {where} ORDER BY created, id", ("p", parameter));
        return await DbCommands.ListAsync(cmd, r => RecordJson.Probe(r.GetString(0), r.GetString(1), r.GetBoolean(2)));
    });

    public async Task<bool> UpdateProbeAsync(Probe probe, ProbeState expected) => await WriteAsync(
        $"UPDATE {Probes} SET state = @state, acknowledged = @ack, json = @json, score = @score, {Dialect.ScoreMarkColumn} = {Dialect.NextScoreMark} WHERE id = @id AND state = @expected",
        ("state", probe.State.ToString()), ("ack", Dialect.Flag(probe.Acknowledged)), ("json", RecordJson.Serialize(probe)), ("score", probe.Score),
        ("id", probe.Id), ("expected", expected.ToString())) == 1;

    public Task AcknowledgeProbesAsync(string loop) => WriteAsync(
        $"UPDATE {Probes} SET acknowledged = @yes, {Dialect.ScoreMarkColumn} = {Dialect.NextScoreMark} WHERE loop = @loop AND state IN ('Answered', 'Rated')",
        ("yes", Dialect.Flag(true)), ("loop", loop));

    /// <summary>
    /// Scores changed at or after <paramref name="since"/>, read in one snapshot with the mark to pass next time
    /// (<see cref="SqlDialect.SnapshotScoreMark"/>): a change not visible to this read is numbered at or above the
    /// mark, so the next read sees it.
    /// </summary>
    public Task<ProbeScoreChanges> ReadProbeScoresAsync(string loop, long since) => ReadAsync(async c =>
    {
        await using var tx = await Dialect.BeginSnapshotAsync(c);
        long next;
        await using (var mark = Command(c, Dialect.SnapshotScoreMark))
        {
            mark.Transaction = tx;
            next = Convert.ToInt64(await mark.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        var changed = new List<ProbeScore>();
        await using (var cmd = Command(c, $"SELECT id, branch, day, score, acknowledged FROM {Probes} WHERE loop = @loop AND {Dialect.ScoreMarkColumn} >= @since AND score IS NOT NULL",
            ("loop", loop), ("since", since)))
        {
            cmd.Transaction = tx;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                changed.Add(new ProbeScore(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3), r.GetBoolean(4)));
            }
        }
        await tx.CommitAsync();
        return new ProbeScoreChanges(changed, Math.Max(next, since));
    });
}
