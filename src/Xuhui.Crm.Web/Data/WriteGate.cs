namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Lets officers' saves and long background writers (the search backlog) take turns at SQLite's one write lock
/// within this process. A writer that finds the lock taken polls (Microsoft.Data.Sqlite retries a busy statement
/// every 150 ms), so a background writer that commits batch after batch can starve a save for seconds, and a save
/// that arrives during a batch loses up to 150 ms after it. So: a save counts itself in (<see cref="Enter"/>) and
/// waits for the batch in progress to commit (<see cref="WaitForBatchAsync"/>), then finds the lock free; the
/// background writer holds the gate for each batch (<see cref="BatchAsync"/>) and starts the next one only when no
/// save is in progress (<see cref="YieldToSavesAsync"/>, bounded so it is not starved in turn).
/// </summary>
public static class WriteGate
{
    private static readonly SemaphoreSlim Batch = new(1, 1);
    private static int _saving;

    public static bool SavesWaiting => Volatile.Read(ref _saving) > 0;

    public static Scope Enter()
    {
        Interlocked.Increment(ref _saving);
        return new Scope();
    }

    /// <summary>
    /// For a save about to begin its own transaction (never from inside one: the batch may be waiting for that
    /// transaction's lock): waits until the background batch in progress, if any, has committed; at most
    /// <paramref name="limit"/>.
    /// </summary>
    public static async Task WaitForBatchAsync(TimeSpan limit, CancellationToken ct)
    {
        if (await Batch.WaitAsync(limit, ct))
        {
            Batch.Release();
        }
    }

    /// <summary>Holds the gate for one background batch; dispose when its transaction has committed or rolled back.</summary>
    public static async Task<BatchScope> BatchAsync(CancellationToken ct)
    {
        await Batch.WaitAsync(ct);
        return new BatchScope(true);
    }

    /// <summary>Waits (at most <paramref name="limit"/>, so the background writer is not starved in turn) until no save is in progress.</summary>
    public static async Task YieldToSavesAsync(TimeSpan limit, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(5);
        while (SavesWaiting && waited < limit)
        {
            await Task.Delay(step, ct);
            waited += step;
        }
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref _saving);
    }

    /// <summary>A default scope holds nothing (a writer that needs no gate).</summary>
    public readonly struct BatchScope(bool held) : IDisposable
    {
        public void Dispose()
        {
            if (held)
            {
                Batch.Release();
            }
        }
    }
}
