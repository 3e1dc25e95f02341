namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// Whether firms may be on the search backlog, their grams not yet (re)written: while so, search and the import's
/// duplicate-name check read the firms' own text instead of the grams (<see cref="FirmSearch"/>), so an
/// imported firm is found the moment its import answers and a renamed one never under its old name. A counter pair, not
/// a flag: work marked after a drain pass began keeps the state pending after that pass clears what it saw.
/// </summary>
public sealed class SearchBacklogState
{
    private long _marked;
    private long _cleared;
    private int _holds;

    /// <summary>True while any backlog may exist (marked and not yet drained) or an import is committing one.</summary>
    public bool Pending => Volatile.Read(ref _holds) > 0 || Dirty;

    /// <summary>Marked since the last drain pass that covered it.</summary>
    internal bool Dirty => Interlocked.Read(ref _marked) != Interlocked.Read(ref _cleared);

    /// <summary>Backlog rows were (or may have been) committed.</summary>
    public void Mark() => Interlocked.Increment(ref _marked);

    internal long Snapshot() => Interlocked.Read(ref _marked);

    /// <summary>A drain pass that started at <paramref name="snapshot"/> found the backlog empty.</summary>
    internal void Cleared(long snapshot)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _cleared);
            if (snapshot <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _cleared, snapshot, seen) != seen);
    }

    /// <summary>Pending from before an import's transaction until it has marked its committed backlog.</summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _holds);
        return new Release(this);
    }

    private sealed class Release(SearchBacklogState state) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref state._holds);
            }
        }
    }
}
