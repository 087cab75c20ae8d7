using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>The day append, PostgreSQL's own SQL: all of a batch's days and their entries in one statement.</summary>
internal static class PostgresDayAppend
{
    /// <summary>
    /// One statement for many days: the day rows go in (a day already there is skipped), then the entries of exactly
    /// the days that went in; it returns the keys of those days.
    /// </summary>
    public static NpgsqlBatchCommand Command(List<DayRecord> days)
    {
        var cmd = new NpgsqlBatchCommand(
            """
            WITH d AS (
                INSERT INTO mimicry_days(loop, branch, day, anchor, selection, candidates, sessions, bits, committed, input_tokens, output_tokens, cost, cached_input_tokens)
                SELECT loop, branch, day, anchor, selection, candidates, sessions, bits, now(), input_tokens, output_tokens, cost, cached_input_tokens
                FROM unnest($1::text[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::integer[], $7::integer[], $8::double precision[],
                            $19::bigint[], $20::bigint[], $21::double precision[], $24::bigint[])
                     AS x(loop, branch, day, anchor, selection, candidates, sessions, bits, input_tokens, output_tokens, cost, cached_input_tokens)
                ON CONFLICT DO NOTHING
                RETURNING loop, branch, day),
            e AS (
                INSERT INTO mimicry_entries(loop, branch, day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens)
                SELECT x.loop, x.branch, x.day, x.seq, x.slot, x.session, x.seed, x.simulator, x.text, x.hash, x.input_tokens, x.output_tokens, x.cached_input_tokens
                FROM unnest($9::text[], $10::integer[], $11::integer[], $12::integer[], $13::integer[], $14::text[], $15::bigint[], $16::text[], $17::text[], $18::text[],
                            $22::integer[], $23::integer[], $25::integer[])
                     AS x(loop, branch, day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens)
                JOIN d ON d.loop = x.loop AND d.branch = x.branch AND d.day = x.day)
            SELECT loop, branch, day FROM d
            """);
        var entries = days.SelectMany(d => d.Entries.Select(e => (d, e))).ToList();
        foreach (var value in new object[]
        {
            days.Select(d => d.Loop).ToArray(), days.Select(d => d.Branch).ToArray(), days.Select(d => d.Day).ToArray(),
            days.Select(d => StoreTime.Format(d.Anchor)).ToArray(), days.Select(d => d.Selection).ToArray(), days.Select(d => d.Candidates).ToArray(),
            days.Select(d => d.Sessions).ToArray(), days.Select(d => d.Bits).ToArray(),
            entries.Select(x => x.d.Loop).ToArray(), entries.Select(x => x.d.Branch).ToArray(), entries.Select(x => x.d.Day).ToArray(),
            entries.Select(x => x.e.Seq).ToArray(), entries.Select(x => x.e.Slot).ToArray(), entries.Select(x => x.e.SessionId).ToArray(),
            entries.Select(x => x.e.Seed).ToArray(), entries.Select(x => x.e.Simulator).ToArray(), entries.Select(x => x.e.Text).ToArray(),
            entries.Select(x => x.e.Hash).ToArray(),
            days.Select(d => d.InputTokens).ToArray(), days.Select(d => d.OutputTokens).ToArray(), days.Select(d => d.Cost).ToArray(),
            entries.Select(x => x.e.InputTokens).ToArray(), entries.Select(x => x.e.OutputTokens).ToArray(),
            days.Select(d => d.CachedInputTokens).ToArray(), entries.Select(x => x.e.CachedInputTokens).ToArray(),
        })
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return cmd;
    }
}
