using System.Diagnostics;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>Where one drain of the search backlog spent its time: read by the benchmark note and the drainer's log line.</summary>
internal sealed class DrainStatistics
{
    public Stopwatch Total { get; } = Stopwatch.StartNew();

    public Stopwatch Read { get; } = new();

    public Stopwatch Delete { get; } = new();

    public Stopwatch Build { get; } = new();

    public Stopwatch Write { get; } = new();

    public Stopwatch Commit { get; } = new();

    public Stopwatch Yielded { get; } = new();

    /// <summary>Time inside the batches' transactions (the write lock on SQLite).</summary>
    public Stopwatch Locked { get; } = new();

    public int Firms { get; private set; }

    public long Grams { get; private set; }

    public int Batches { get; private set; }

    public TimeSpan Longest { get; private set; }

    public void Batch(int firms, long grams, TimeSpan elapsed)
    {
        Batches++;
        Firms += firms;
        Grams += grams;
        Longest = elapsed > Longest ? elapsed : Longest;
    }

    public string Summary(int lastBatchSize) =>
        $"{Firms} firms, {Grams} grams in {Batches} batches (last {lastBatchSize} firms), {Total.Elapsed.TotalSeconds:F1} s: in transactions {Locked.Elapsed.TotalSeconds:F1} s " +
        $"(read {Read.Elapsed.TotalSeconds:F1}, deletes {Delete.Elapsed.TotalSeconds:F1}, building and sorting {Build.Elapsed.TotalSeconds:F1}, inserts {Write.Elapsed.TotalSeconds:F1}, commit {Commit.Elapsed.TotalSeconds:F1}), " +
        $"yielded to saves {Yielded.Elapsed.TotalSeconds:F1} s, longest batch {Longest.TotalMilliseconds:F0} ms";
}

/// <summary>
/// The most recent backlog drain of this instance (a singleton): the import benchmark reads it, and the drainer logs it.
/// Written once per drain, read by whoever asks afterwards.
/// </summary>
public sealed class SearchDrainDiagnostics
{
    private volatile Snapshot _last = new(TimeSpan.Zero, TimeSpan.Zero, string.Empty);

    /// <summary>The longest a batch held its transaction during the most recent drain.</summary>
    public TimeSpan LongestBatch => _last.LongestBatch;

    /// <summary>How long the most recent drain took in all.</summary>
    public TimeSpan DrainTime => _last.DrainTime;

    /// <summary>Where the most recent drain spent its time.</summary>
    public string Stats => _last.Stats;

    internal void Record(DrainStatistics stats, int lastBatchSize) =>
        _last = new Snapshot(stats.Longest, stats.Total.Elapsed, stats.Summary(lastBatchSize));

    private sealed record Snapshot(TimeSpan LongestBatch, TimeSpan DrainTime, string Stats);
}
