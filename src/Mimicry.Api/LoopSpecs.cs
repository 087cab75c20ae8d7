using System.Collections.Concurrent;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Storage;

namespace Mimicry.Api;

/// <summary>
/// Loop specs by name, read once: a loop's spec never changes (a changed spec needs a new name), so status and
/// progress requests cost no store read for it.
/// </summary>
public sealed class LoopSpecs(INotebookStore store)
{
    private readonly ConcurrentDictionary<string, LoopSpec> _specs = new(StringComparer.Ordinal);

    public async Task<LoopSpec?> GetAsync(string loop)
    {
        if (_specs.TryGetValue(loop, out var spec))
        {
            return spec;
        }
        if (!SpecReader.IsSlug(loop) || await store.GetLoopAsync(loop) is not { } record)
        {
            return null;
        }
        return _specs.GetOrAdd(loop, SpecJson.Deserialize(record.SpecJson));
    }

    /// <summary>"no loop named 'x' here (it holds: a, b)", for a 404.</summary>
    public async Task<string> UnknownAsync(string loop)
    {
        var known = (await store.ListLoopsAsync()).Select(l => l.Loop).Take(20).ToList();
        return $"no loop named '{Bodies.Shown(loop)}' in {store.Location} ({(known.Count == 0 ? "it holds no loops" : "it holds: " + string.Join(", ", known))})";
    }
}
