namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Counts the change-tracker saves in progress in this process. SQLite has one writer at a time and a waiting writer
/// polls (Microsoft.Data.Sqlite retries a busy statement every 150 ms), so a background writer that commits batch after
/// batch can starve an officer's save for many seconds. Long background writers (the search backlog) therefore pause
/// between batches while a save is waiting.
/// </summary>
public static class WriteGate
{
    private static int _saving;

    public static bool SavesWaiting => Volatile.Read(ref _saving) > 0;

    public static Scope Enter()
    {
        Interlocked.Increment(ref _saving);
        return new Scope();
    }

    /// <summary>Waits (at most <paramref name="limit"/>, so the background writer is not starved in turn) until no save is in progress.</summary>
    public static async Task YieldToSavesAsync(TimeSpan limit, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(10);
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
}
