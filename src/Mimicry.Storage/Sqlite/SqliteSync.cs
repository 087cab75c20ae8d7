namespace Mimicry.Storage.Sqlite;

/// <summary>How hard each commit of the embedded store is pushed to disk (SQLite's <c>synchronous</c> in WAL mode).</summary>
public enum SqliteSync
{
    /// <summary>A committed day survives a killed process; an OS crash or power loss may lose the last commits.</summary>
    Normal,
    /// <summary>Every commit is synced to disk before it is acknowledged: survives power loss, costs throughput.</summary>
    Full,
}
