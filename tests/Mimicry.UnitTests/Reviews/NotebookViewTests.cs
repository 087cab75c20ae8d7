using Mimicry.Grains.Catalog;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.UnitTests.Storage;

namespace Mimicry.UnitTests.Reviews;

/// <summary>
/// Exports attach an approval to a day only if that approval released the day's entries (by their hashes), not by
/// (loop, branch, day) alone: a day another activation committed with other candidates carries no reviewer's name.
/// </summary>
public sealed class NotebookViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnApproval_IsShownOnlyOnTheDayWhoseEntriesItReleased()
    {
        var store = new InMemoryNotebookStore();
        var spec = SpecReader.Parse("t.yaml", """
            name: loop
            researcher: { id: ada, name: Ada }
            question: Q?
            anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
            days: 10
            width: 2
            selection: best-of-2
            """, Now);
        await store.CreateLoopAsync(new LoopRecord("loop", SpecJson.Serialize(spec), SpecJson.Hash(spec), RunState.Running, null, Now, Now));
        var approved = StoreRecords.Review("loop", 0, 3) with { State = ReviewState.Approved, DecidedBy = "alice", DecidedAt = Now };
        var released = approved.Candidates[approved.Chosen[0]].Text!;
        await store.AddReviewAsync(approved);
        await store.AddReviewAsync(StoreRecords.Review("loop", 1, 2) with { State = ReviewState.Approved, DecidedBy = "bob", DecidedAt = Now });
        await store.AppendDayAsync(StoreRecords.Day(0, 1, "one"));
        await store.AppendDayAsync(StoreRecords.Day(0, 2, "two"));
        await store.AppendDayAsync(StoreRecords.Day(0, 3, released)); // what alice's approval released
        await store.AppendDayAsync(StoreRecords.Day(1, 1, "one"));
        await store.AppendDayAsync(StoreRecords.Day(1, 2, "another activation's candidate")); // not what bob approved

        var branch0 = await NotebookView.ReadAsync(store, spec, 0);
        var branch1 = await NotebookView.ReadAsync(store, spec, 1);

        Assert.Equal([null, null, "alice"], branch0.Select(d => d.Review?.DecidedBy));
        Assert.Equal([null, null], branch1.Select(d => d.Review?.DecidedBy));
    }
}
