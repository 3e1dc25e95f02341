namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Lets officers' saves and long background writers (the search backlog) take turns at SQLite's one write lock
/// within this process. A writer that finds the lock taken polls (Microsoft.Data.Sqlite retries a busy statement
/// every 150 ms), so a background writer that commits batch after batch can starve a save for seconds, and a save
/// that arrives during a batch loses up to 150 ms after it. So: a save counts itself in and waits for the batch in
/// progress to commit (<see cref="EnterAsync"/>), then finds the lock free; the background writer holds the gate for
/// each batch (<see cref="BatchAsync"/>) and starts the next one only when no save is in progress
/// (<see cref="YieldToSavesAsync"/>, bounded so it is not starved in turn).
/// </summary>
/// <remarks>
/// One per host, registered for SQLite only: PostgreSQL locks rows, not the file, so it has none and every consumer
/// takes the gate as optional (a null gate is no turn at all). The host's contexts carry it (<see cref="CrmDbContext.Gate"/>).
/// </remarks>
public sealed class WriteGate : IDisposable
{
    /// <summary>How long a save waits at most for the background batch in progress.</summary>
    public static readonly TimeSpan BatchWaitLimit = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _batch = new(1, 1);
    private int _saving;

    public bool SavesWaiting => Volatile.Read(ref _saving) > 0;

    /// <summary>
    /// Counts a save in until the scope is disposed; with <paramref name="waitForBatch"/> (only for a save about to begin
    /// its own transaction, never from inside one: the batch may be waiting for that transaction's lock) it first waits
    /// until the background batch in progress, if any, has committed, at most <see cref="BatchWaitLimit"/>.
    /// A null gate gives a scope that holds nothing.
    /// </summary>
    public static async ValueTask<Scope> EnterAsync(WriteGate? gate, bool waitForBatch, CancellationToken ct)
    {
        if (gate is null)
        {
            return default;
        }

        Interlocked.Increment(ref gate._saving);
        var scope = new Scope(gate);
        try
        {
            if (waitForBatch && await gate._batch.WaitAsync(BatchWaitLimit, ct))
            {
                gate._batch.Release();
            }
        }
        catch
        {
            scope.Dispose();
            throw;
        }

        return scope;
    }

    /// <summary>Holds the gate for one background batch; dispose when its transaction has committed or rolled back.</summary>
    public async Task<BatchScope> BatchAsync(CancellationToken ct)
    {
        await _batch.WaitAsync(ct);
        return new BatchScope(this);
    }

    /// <summary>Waits (at most <paramref name="limit"/>, so the background writer is not starved in turn) until no save is in progress.</summary>
    public async Task YieldToSavesAsync(TimeSpan limit, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(5);
        while (SavesWaiting && waited < limit)
        {
            await Task.Delay(step, ct);
            waited += step;
        }
    }

    public void Dispose() => _batch.Dispose();

    /// <summary>A save's turn; the default scope holds nothing.</summary>
    public readonly struct Scope(WriteGate? gate) : IDisposable
    {
        public void Dispose()
        {
            if (gate is not null)
            {
                Interlocked.Decrement(ref gate._saving);
            }
        }
    }

    /// <summary>A background batch's hold on the gate; the default scope holds nothing.</summary>
    public readonly struct BatchScope(WriteGate? gate) : IDisposable
    {
        public void Dispose() => gate?._batch.Release();
    }
}
