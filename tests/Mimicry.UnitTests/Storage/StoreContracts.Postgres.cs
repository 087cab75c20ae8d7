using Mimicry.Storage;
using Mimicry.Storage.Access;
using Mimicry.Storage.Postgres;

namespace Mimicry.UnitTests.Storage;

// The cluster's PostgreSQL store under every contract, each test in a fresh database on the suite's server.

internal static class PostgresStores
{
    public static PostgresNotebookStore OpenFresh() =>
        PostgresNotebookStore.OpenAsync(TestPostgres.CreateDatabase("store"), migrate: true).GetAwaiter().GetResult();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLoopStoreTests : LoopStoreContract
{
    protected override INotebookStore OpenFresh() => PostgresStores.OpenFresh();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDayStoreTests : DayStoreContract
{
    protected override INotebookStore OpenFresh() => PostgresStores.OpenFresh();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresProgressStoreTests : ProgressStoreContract
{
    protected override INotebookStore OpenFresh() => PostgresStores.OpenFresh();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresProbeStoreTests : ProbeStoreContract
{
    protected override INotebookStore OpenFresh() => PostgresStores.OpenFresh();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReviewStoreTests : ReviewStoreContract
{
    protected override INotebookStore OpenFresh() => PostgresStores.OpenFresh();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccessStoreTests : AccessStoreContract
{
    protected override (IAsyncDisposable Owner, IAccessStore Access) OpenFresh()
    {
        var store = PostgresStores.OpenFresh();
        return (store, store.Access);
    }
}
