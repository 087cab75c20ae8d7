using Microsoft.Data.Sqlite;

namespace Mimicry.Storage.Sqlite;

/// <summary>The embedded store's schema, versioned. Notebook tables refuse UPDATE and DELETE: they are append-only.</summary>
internal static class SqliteSchema
{
    public const int Version = 7;

    private const string V1 = """
        CREATE TABLE loops(
            loop TEXT PRIMARY KEY, spec TEXT NOT NULL, spec_hash TEXT NOT NULL,
            state TEXT NOT NULL, reason TEXT, created TEXT NOT NULL, updated TEXT NOT NULL);
        CREATE TABLE branches(
            loop TEXT NOT NULL, branch INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT, updated TEXT NOT NULL,
            PRIMARY KEY(loop, branch)) WITHOUT ROWID;
        CREATE TABLE days(
            loop TEXT NOT NULL, branch INTEGER NOT NULL, day INTEGER NOT NULL, anchor TEXT NOT NULL,
            selection TEXT NOT NULL, candidates INTEGER NOT NULL, sessions INTEGER NOT NULL, bits REAL NOT NULL,
            committed TEXT NOT NULL,
            PRIMARY KEY(loop, branch, day)) WITHOUT ROWID;
        CREATE TABLE entries(
            loop TEXT NOT NULL, branch INTEGER NOT NULL, day INTEGER NOT NULL, seq INTEGER NOT NULL,
            slot INTEGER NOT NULL, session TEXT NOT NULL, seed INTEGER NOT NULL, simulator TEXT NOT NULL,
            text TEXT NOT NULL, hash TEXT NOT NULL,
            PRIMARY KEY(loop, branch, day, seq)) WITHOUT ROWID;
        CREATE TRIGGER days_append_only_u BEFORE UPDATE ON days BEGIN SELECT RAISE(ABORT, 'notebook days are append-only'); END;
        CREATE TRIGGER days_append_only_d BEFORE DELETE ON days BEGIN SELECT RAISE(ABORT, 'notebook days are append-only'); END;
        CREATE TRIGGER entries_append_only_u BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'notebook entries are append-only'); END;
        CREATE TRIGGER entries_append_only_d BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'notebook entries are append-only'); END;
        """;

    /// <summary>What a model billed: tokens and cost per day (all its sessions), tokens per entry.</summary>
    private const string V2 = """
        ALTER TABLE days ADD COLUMN input_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE days ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE days ADD COLUMN cost REAL NOT NULL DEFAULT 0;
        ALTER TABLE entries ADD COLUMN input_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE entries ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0;
        """;

    /// <summary>Calibration probes: the record as JSON, with what queries need as columns.</summary>
    private const string V3 = """
        CREATE TABLE probes(
            id TEXT PRIMARY KEY, loop TEXT NOT NULL, researcher TEXT NOT NULL, calibrator TEXT NOT NULL,
            state TEXT NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX probes_loop ON probes(loop, created);
        """;

    /// <summary>Review gates and quarantine: days held for a person, the record as JSON.</summary>
    private const string V4 = """
        CREATE TABLE reviews(
            id TEXT PRIMARY KEY, loop TEXT NOT NULL, branch INTEGER NOT NULL, day INTEGER NOT NULL, attempt INTEGER NOT NULL,
            state TEXT NOT NULL, created TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX reviews_loop ON reviews(loop, created);
        CREATE INDEX reviews_branch ON reviews(loop, branch, day, attempt);
        """;

    /// <summary>The API's users, their tokens (salted hashes, never secrets) and the audit log.</summary>
    private const string V5 = """
        CREATE TABLE users(name TEXT PRIMARY KEY, role TEXT NOT NULL, created TEXT NOT NULL, created_by TEXT NOT NULL);
        CREATE TABLE tokens(
            id TEXT PRIMARY KEY, user TEXT NOT NULL, label TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL,
            created TEXT NOT NULL, expires TEXT, revoked TEXT, created_by TEXT NOT NULL);
        CREATE INDEX tokens_user ON tokens(user);
        CREATE TABLE audit(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,
            target TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT, remote TEXT);
        CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """;

    /// <summary>
    /// Probe scores as columns, so the drift test reads only the scores changed since its last look (score_seq
    /// grows with every change of a score or its acknowledgement; the one writer keeps it in commit order).
    /// </summary>
    private const string V6 = """
        ALTER TABLE probes ADD COLUMN branch INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE probes ADD COLUMN day INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE probes ADD COLUMN score REAL;
        ALTER TABLE probes ADD COLUMN score_seq INTEGER NOT NULL DEFAULT 0;
        UPDATE probes SET branch = json_extract(json, '$.branch'), day = json_extract(json, '$.day'), score = json_extract(json, '$.score'), score_seq = rowid;
        CREATE INDEX probes_score_seq ON probes(score_seq);
        CREATE INDEX probes_scores ON probes(loop, score_seq);
        """;

    /// <summary>Of each day's and entry's input tokens, those the server served from its prompt cache.</summary>
    private const string V7 = """
        ALTER TABLE days ADD COLUMN cached_input_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE entries ADD COLUMN cached_input_tokens INTEGER NOT NULL DEFAULT 0;
        """;

    /// <summary>The step from version i to i + 1 is Steps[i].</summary>
    private static readonly string[] Steps = [V1, V2, V3, V4, V5, V6, V7];

    public static void Migrate(SqliteConnection connection, string location)
    {
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction();
        var current = CurrentVersion(connection, tx);
        if (current > Version)
        {
            throw new StoreException($"the data folder {location} was written by a newer mimicry (schema {current}; this one knows up to {Version})");
        }
        if (current < 1)
        {
            Exec(connection, tx, "CREATE TABLE schema_version(version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);");
        }
        // Each step upgrades one version to the next, in order, all in one transaction.
        for (var v = (int)current; v < Version; v++)
        {
            Exec(connection, tx, Steps[v]);
        }
        if (current < Version)
        {
            Exec(connection, tx, $"UPDATE schema_version SET version = {Version};");
        }
        tx.Commit();
    }

    private static long CurrentVersion(SqliteConnection c, SqliteTransaction tx)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'";
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            return 0;
        }
        cmd.CommandText = "SELECT version FROM schema_version";
        return (long)(cmd.ExecuteScalar() ?? 0L);
    }

    private static void Exec(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
