using Mimicry.Storage;

namespace Mimicry.UnitTests.Storage;

// The in-memory store (tests and `--store memory`) under every notebook contract; it keeps no users or tokens.

public sealed class InMemoryLoopStoreTests : LoopStoreContract
{
    protected override INotebookStore OpenFresh() => new InMemoryNotebookStore();
}

public sealed class InMemoryDayStoreTests : DayStoreContract
{
    protected override INotebookStore OpenFresh() => new InMemoryNotebookStore();
}

public sealed class InMemoryProgressStoreTests : ProgressStoreContract
{
    protected override INotebookStore OpenFresh() => new InMemoryNotebookStore();
}

public sealed class InMemoryProbeStoreTests : ProbeStoreContract
{
    protected override INotebookStore OpenFresh() => new InMemoryNotebookStore();
}

public sealed class InMemoryReviewStoreTests : ReviewStoreContract
{
    protected override INotebookStore OpenFresh() => new InMemoryNotebookStore();
}
