using Mimicry.Storage;
using Mimicry.Storage.Sqlite;

namespace Mimicry.Cli.Commands;

/// <summary>Opens an existing data folder for reading commands; never creates one.</summary>
internal static class StoreReader
{
    public static SqliteNotebookStore? OpenExisting(string folder) =>
        SqliteNotebookStore.Exists(folder) ? SqliteNotebookStore.Open(folder) : null;

    public static async Task<LoopRecord> RequireLoopAsync(INotebookStore? store, string folder, string loop)
    {
        var record = store is null ? null : await store.GetLoopAsync(loop);
        if (record is not null)
        {
            return record;
        }
        var known = store is null ? [] : (await store.ListLoopsAsync()).Select(l => l.Loop).ToList();
        var hint = known.Count == 0 ? "it holds no loops" : $"it holds: {string.Join(", ", known)}";
        throw new UserInputException($"no loop named '{loop}' in {folder} ({hint})");
    }
}
