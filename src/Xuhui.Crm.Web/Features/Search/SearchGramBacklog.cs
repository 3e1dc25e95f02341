using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// Writes the search grams of the firms in <see cref="FirmSearchBacklog"/>, a batch of firms per short transaction:
/// each batch deletes the firms' old grams, writes new ones from their current search text (none for archived firms)
/// and takes them off the backlog, all at once, so a crash or a second drainer at any point leaves nothing half done.
/// The batch is sized from the previous one's pace so each transaction holds SQLite's write lock for about
/// <see cref="TargetBatchTime"/>. What differs per provider is in its <see cref="GramWriter"/>; the rows go in key order
/// either way (<see cref="GramBatch"/>).
/// </summary>
public static class SearchGramBacklog
{
    /// <summary>Firms in the first batch (~45-60 grams each), before the pace is known.</summary>
    public const int BatchSize = 250;

    /// <summary>Bounds of the adaptive batch.</summary>
    public const int MinBatch = 25, MaxBatch = 5000;

    /// <summary>How long a batch aims to hold its transaction: an officer's save waits at most about this long.</summary>
    public static readonly TimeSpan TargetBatchTime = TimeSpan.FromMilliseconds(250);

    /// <summary>Drains the backlog; returns how many firms were indexed.</summary>
    /// <param name="indexChanged">Called after each committed batch (the count cache drops its entries).</param>
    public static async Task<int> DrainAsync(CrmDbContext db, SearchDrainDiagnostics diagnostics, Action? indexChanged, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        try
        {
            await using var writer = await GramWriter.OpenAsync(connection, db.Model.FindEntityType(typeof(FirmSearchGram))!, db.Gate, ct);
            var grams = new GramBatch();
            var stats = new DrainStatistics();
            var batchSize = BatchSize;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                using var turn = await writer.TurnAsync(stats, ct);
                var watch = Stopwatch.StartNew();
                stats.Locked.Start();
                stats.Read.Start();
                // SQLite: BEGIN IMMEDIATE, so the batch reads what it then writes under the write lock.
                await using var tx = await connection.BeginTransactionAsync(ct);
                await writer.BeginAsync(tx, ct);
                var ids = await ReadAsync(connection, tx, $"SELECT \"FirmId\" FROM \"FirmSearchBacklog\" ORDER BY \"FirmId\" LIMIT {batchSize}",
                    r => r.GetInt64(0), ct);
                if (ids.Count == 0)
                {
                    await tx.CommitAsync(ct);
                    stats.Read.Stop();
                    stats.Locked.Stop();
                    break;
                }

                var list = string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
                var firms = await ReadAsync(connection, tx,
                    $"SELECT \"Id\", \"SearchText\", \"IsArchived\", \"Name\" FROM \"Firms\" WHERE \"Id\" IN ({list}){writer.LockFirms}",
                    r => (Id: r.GetInt64(0), Text: r.GetString(1), Archived: r.GetBoolean(2), Name: r.GetString(3)), ct);
                stats.Read.Stop();
                stats.Delete.Start();
                await GramWriter.ExecuteAsync(connection, tx, $"DELETE FROM \"FirmSearchGrams\" WHERE \"FirmId\" IN ({list})", ct);
                stats.Delete.Stop();

                stats.Build.Start();
                grams.Build(firms.Where(f => !f.Archived).Select(f => (f.Id, f.Name, f.Text)));
                stats.Build.Stop();

                stats.Write.Start();
                await writer.WriteAsync(tx, grams, ct);
                await GramWriter.ExecuteAsync(connection, tx, $"DELETE FROM \"FirmSearchBacklog\" WHERE \"FirmId\" IN ({list})", ct);
                stats.Write.Stop();
                stats.Commit.Start();
                await tx.CommitAsync(ct);
                indexChanged?.Invoke();
                stats.Commit.Stop();
                stats.Locked.Stop();
                var elapsed = watch.Elapsed;
                stats.Batch(ids.Count, grams.Count, elapsed);
                // The next batch from this one's pace, at most doubling or halving at a time.
                var paced = (int)(ids.Count * TargetBatchTime.TotalMilliseconds / Math.Max(1, elapsed.TotalMilliseconds));
                batchSize = Math.Clamp(paced, Math.Max(MinBatch, batchSize / 2), Math.Min(MaxBatch, batchSize * 2));
            }

            diagnostics.Record(stats, batchSize);
            return stats.Firms;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<List<T>> ReadAsync<T>(DbConnection connection, DbTransaction tx, string sql, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
