using System.Collections.Concurrent;

namespace Mimicry.Caching;

/// <summary>
/// Things built once from a text that specs supply (a pattern, a schema, a model name) and reused for every candidate
/// or session. Keys come from users, so the cache is bounded: when full it is cleared (rebuilding is cheap next to
/// unbounded growth).
/// </summary>
public sealed class BoundedCache<T>(int capacity)
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);

    /// <summary>The value for <paramref name="key"/>, built by <paramref name="build"/> (which may throw: nothing is cached then).</summary>
    public T GetOrAdd(string key, Func<string, T> build)
    {
        if (_items.TryGetValue(key, out var known))
        {
            return known;
        }
        var built = build(key);
        if (_items.Count >= capacity)
        {
            _items.Clear();
        }
        return _items.GetOrAdd(key, built);
    }
}
