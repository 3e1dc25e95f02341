using System.Collections.Concurrent;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// The exact match count of a one- or two-character search (the gram's row count), kept per gram. Counting a common
/// character reads its whole index range — 28,794 entries for 科 at 50,000 firms, about 1 ms of SQLite's time, the
/// largest part of such a request — while the count changes only when search grams are written. An entry is
/// dropped as soon as this instance writes grams (<see cref="Changed"/>: when a save that reindexed a firm ends,
/// <see cref="GramCountInvalidation"/>, and after each batch of the import's backlog drain), so one instance — every
/// SQLite deployment — always answers the exact current count; grams
/// written by another instance of a city deployment are seen after at most Crm:Search:CountCacheSeconds (default 5;
/// 0 turns the cache off).
/// </summary>
public sealed class GramCountCache(Microsoft.Extensions.Options.IOptions<Shared.CrmOptions> crm, TimeProvider clock)
{
    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(Math.Max(0, crm.Value.Search.CountCacheSeconds));
    private long _generation;

    /// <summary>Grams were (or may have been) written through this instance, committed or not: every count is stale.</summary>
    public void Changed() => Interlocked.Increment(ref _generation);

    public async Task<int> GetAsync(string gram, Func<CancellationToken, Task<int>> count, CancellationToken ct)
    {
        if (_lifetime <= TimeSpan.Zero)
        {
            return await count(ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var generation = Interlocked.Read(ref _generation);
        if (_entries.TryGetValue(gram, out var entry) && entry.Generation == generation && entry.Until > now)
        {
            return entry.Count;
        }

        // Read under the generation taken before the count: grams written meanwhile leave the entry already stale.
        var value = await count(ct);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[gram] = new Entry(value, generation, now + _lifetime);
        return value;
    }

    private sealed record Entry(int Count, long Generation, DateTime Until);
}
