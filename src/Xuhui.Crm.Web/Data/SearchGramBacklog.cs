using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Writes the search grams of the firms in <see cref="FirmSearchBacklog"/>, a few hundred firms per short transaction:
/// each batch deletes the firms' old grams, writes new ones from their current search text (none for archived firms)
/// and takes them off the backlog, all at once, so a crash or a second drainer at any point leaves nothing half done.
/// </summary>
public static class SearchGramBacklog
{
    /// <summary>Firms per transaction: ~60 grams each, so a batch holds SQLite's write lock for tens of milliseconds.</summary>
    public const int BatchSize = 250;

    /// <summary>The longest a batch held its transaction during the most recent drain (for the benchmark note).</summary>
    public static TimeSpan LastLongestBatch { get; private set; }

    /// <summary>How long the most recent drain took in all (for the benchmark note).</summary>
    public static TimeSpan LastDrainTime { get; private set; }

    /// <summary>Drains the backlog; returns how many firms were indexed.</summary>
    public static async Task<int> DrainAsync(CrmDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var postgres = !db.Database.IsSqlite();
            using var writer = new RowWriter(db.Model.FindEntityType(typeof(FirmSearchGram))!, connection);
            var done = 0;
            var longest = TimeSpan.Zero;
            var total = Stopwatch.StartNew();
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                // SQLite: BEGIN IMMEDIATE, so the batch reads what it then writes under the write lock.
                await using var tx = await connection.BeginTransactionAsync(ct);
                writer.Transaction = tx;
                var ids = await ReadAsync(connection, tx, $"SELECT \"FirmId\" FROM \"FirmSearchBacklog\" ORDER BY \"FirmId\" LIMIT {BatchSize}",
                    r => r.GetInt64(0), ct);
                if (ids.Count == 0)
                {
                    await tx.CommitAsync(ct);
                    break;
                }

                var list = string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
                // PostgreSQL: lock the firms so a concurrent save of one of them cannot interleave its own gram rewrite.
                var firms = await ReadAsync(connection, tx,
                    $"SELECT \"Id\", \"SearchText\", \"IsArchived\", \"Name\" FROM \"Firms\" WHERE \"Id\" IN ({list}){(postgres ? " ORDER BY \"Id\" FOR UPDATE" : string.Empty)}",
                    r => (Id: r.GetInt64(0), Text: r.GetString(1), Archived: r.GetBoolean(2), Name: r.GetString(3)), ct);
                await ExecuteAsync(connection, tx, $"DELETE FROM \"FirmSearchGrams\" WHERE \"FirmId\" IN ({list})", ct);
                // Sorted by the key: the inserts walk the (Gram, Name, FirmId) key in order instead of at random.
                foreach (var gram in firms.Where(f => !f.Archived).SelectMany(f => FirmSearchGram.For(f.Id, f.Name, f.Text))
                    .OrderBy(g => g.Gram, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal).ThenBy(g => g.FirmId))
                {
                    writer.Add(gram);
                }

                writer.Flush();
                await ExecuteAsync(connection, tx, $"DELETE FROM \"FirmSearchBacklog\" WHERE \"FirmId\" IN ({list})", ct);
                await tx.CommitAsync(ct);
                SearchIndexGeneration.Changed();
                done += ids.Count;
                longest = watch.Elapsed > longest ? watch.Elapsed : longest;
                if (!postgres)
                {
                    // An officer's save waiting for SQLite's write lock goes next (PostgreSQL locks rows, not the file):
                    // long enough for its next 150 ms retry, short enough that a stream of saves cannot stall the drain.
                    await WriteGate.YieldToSavesAsync(TimeSpan.FromMilliseconds(250), ct);
                }
            }

            LastLongestBatch = longest;
            LastDrainTime = total.Elapsed;
            return done;
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

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>After a crash between an import's commit and its grams, the firms are made searchable again on start.</summary>
public sealed class SearchGramRecovery(IServiceScopeFactory scopes, ILogger<SearchGramRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var done = await SearchGramBacklog.DrainAsync(db, stoppingToken);
            if (done > 0)
            {
                logger.LogInformation("Search index: grams written for {Count} firms left over from an interrupted import", done);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left stays on the backlog for the next start.
        }
    }
}
