using Mimicry.Status;

namespace Mimicry.Grains;

/// <summary>
/// Read-only queries over the store for clients (status, notebooks). A stateless worker: any silo answers from the
/// shared database, so listing loops never goes through one hot grain.
/// </summary>
[Alias("mimicry.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    [Alias("ListLoops")]
    Task<IReadOnlyList<LoopSummary>> ListLoops();

    /// <summary>A loop's stored spec (canonical JSON), or null for an unknown loop.</summary>
    [Alias("GetSpecJson")]
    Task<string?> GetSpecJson(string loop);

    /// <summary>A branch's committed days, oldest first; empty for an unknown loop or branch.</summary>
    [Alias("ReadBranch")]
    Task<IReadOnlyList<NotebookDay>> ReadBranch(string loop, int branch);
}
