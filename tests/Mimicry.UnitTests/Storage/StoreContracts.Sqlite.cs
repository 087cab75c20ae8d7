using Microsoft.Data.Sqlite;
using Mimicry.Storage;
using Mimicry.Storage.Access;
using Mimicry.Storage.Sqlite;

namespace Mimicry.UnitTests.Storage;

// The embedded SQLite store under every contract, each test in a fresh data folder.

/// <summary>A fresh data folder per test, removed afterwards.</summary>
public sealed class SqliteFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mimicry-store-" + Guid.NewGuid().ToString("N"));

    public INotebookStore Open() => SqliteNotebookStore.Open(Path);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

public sealed class SqliteLoopStoreTests : LoopStoreContract, IDisposable
{
    private readonly SqliteFolder _folder = new();

    protected override INotebookStore OpenFresh() => _folder.Open();

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteDayStoreTests : DayStoreContract, IDisposable
{
    private readonly SqliteFolder _folder = new();

    protected override INotebookStore OpenFresh() => _folder.Open();

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteProgressStoreTests : ProgressStoreContract, IDisposable
{
    private readonly SqliteFolder _folder = new();

    protected override INotebookStore OpenFresh() => _folder.Open();

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteProbeStoreTests : ProbeStoreContract, IDisposable
{
    private readonly SqliteFolder _folder = new();

    protected override INotebookStore OpenFresh() => _folder.Open();

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteReviewStoreTests : ReviewStoreContract, IDisposable
{
    private readonly SqliteFolder _folder = new();

    protected override INotebookStore OpenFresh() => _folder.Open();

    public void Dispose() => _folder.Dispose();
}

public sealed class SqliteAccessStoreTests : AccessStoreContract, IDisposable
{
    private readonly SqliteFolder _folder = new();

    protected override (IAsyncDisposable Owner, IAccessStore Access) OpenFresh()
    {
        var store = SqliteNotebookStore.Open(_folder.Path);
        return (store, store.Access);
    }

    public void Dispose() => _folder.Dispose();
}
