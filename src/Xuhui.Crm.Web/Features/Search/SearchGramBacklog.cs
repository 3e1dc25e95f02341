using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// Writes the search grams of the firms in <see cref="FirmSearchBacklog"/>, a batch of firms per short transaction:
/// each batch deletes the firms' old grams, writes new ones from their current search text (none for archived firms)
/// and takes them off the backlog, all at once, so a crash or a second drainer at any point leaves nothing half done.
/// The batch is sized from the previous one's pace so each transaction holds SQLite's write lock for about
/// <see cref="TargetBatchTime"/>; on SQLite the grams go through one prepared single-row INSERT, bound by position, on
/// PostgreSQL through binary COPY; either way in key order (<see cref="GramBatch"/>).
/// </summary>
public static class SearchGramBacklog
{
    /// <summary>Firms in the first batch (~45-60 grams each), before the pace is known.</summary>
    public const int BatchSize = 250;

    /// <summary>Bounds of the adaptive batch.</summary>
    public const int MinBatch = 25, MaxBatch = 5000;

    /// <summary>How long a batch aims to hold its transaction: an officer's save waits at most about this long.</summary>
    public static readonly TimeSpan TargetBatchTime = TimeSpan.FromMilliseconds(250);

    /// <summary>The drain connection's page cache while it runs (KiB): each batch touches thousands of index pages.</summary>
    private const int DrainCacheKib = 32768;

    /// <summary>The longest a batch held its transaction during the most recent drain (for the benchmark note).</summary>
    public static TimeSpan LastLongestBatch { get; private set; }

    /// <summary>How long the most recent drain took in all (for the benchmark note).</summary>
    public static TimeSpan LastDrainTime { get; private set; }

    /// <summary>Where the most recent drain spent its time (for the benchmark note).</summary>
    public static string LastDrainStats { get; private set; } = string.Empty;

    /// <summary>Drains the backlog; returns how many firms were indexed.</summary>
    public static async Task<int> DrainAsync(CrmDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var sqlite = connection as SqliteConnection;
        long? synchronous = null;
        try
        {
            if (sqlite is not null)
            {
                // A batch lost to a power cut before its WAL frames reach the disk is still on the backlog (the whole
                // transaction goes, or none of it): the batches need not wait for an fsync each, the WAL stays consistent.
                synchronous = Convert.ToInt64(await ScalarAsync(connection, "PRAGMA synchronous", ct), CultureInfo.InvariantCulture);
                await ExecuteAsync(connection, null, $"PRAGMA cache_size = -{DrainCacheKib}; PRAGMA synchronous = NORMAL", ct);
            }

            using var insert = sqlite is null ? null : new GramInsert(sqlite);
            var grams = new GramBatch();
            var done = 0;
            var batchSize = BatchSize;
            var longest = TimeSpan.Zero;
            var total = Stopwatch.StartNew();
            var batches = 0;
            long rows = 0;
            Stopwatch read = new(), delete = new(), build = new(), write = new(), commit = new(), yielded = new(), locked = new();
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (sqlite is not null)
                {
                    // An officer's save in progress goes first (PostgreSQL locks rows, not the file); a stream of saves
                    // cannot stall the drain for longer than the limit.
                    yielded.Start();
                    await WriteGate.YieldToSavesAsync(TimeSpan.FromMilliseconds(250), ct);
                    yielded.Stop();
                }

                // SQLite: saves arriving during the batch wait for its commit in process instead of polling the lock.
                using var gate = sqlite is null ? default : await WriteGate.BatchAsync(ct);
                var watch = Stopwatch.StartNew();
                locked.Start();
                read.Start();
                // SQLite: BEGIN IMMEDIATE, so the batch reads what it then writes under the write lock.
                await using var tx = await connection.BeginTransactionAsync(ct);
                if (sqlite is null)
                {
                    // PostgreSQL: every statement of the batch is a lookup by key. The grams table grows by millions of rows
                    // during an import, faster than autoanalyze follows; without statistics the planner takes an IN list of
                    // hundreds of ids for most of the table and scans all of it to delete nothing (the deletes grew with the
                    // table: 32 s of a 50,000-firm drain; ~1 ms a batch with the index).
                    await ExecuteAsync(connection, tx, "SET LOCAL enable_seqscan = off", ct);
                }

                var ids = await ReadAsync(connection, tx, $"SELECT \"FirmId\" FROM \"FirmSearchBacklog\" ORDER BY \"FirmId\" LIMIT {batchSize}",
                    r => r.GetInt64(0), ct);
                if (ids.Count == 0)
                {
                    await tx.CommitAsync(ct);
                    read.Stop();
                    locked.Stop();
                    break;
                }

                var list = string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
                // PostgreSQL: lock the firms so a concurrent save of one of them cannot interleave its own gram rewrite.
                var firms = await ReadAsync(connection, tx,
                    $"SELECT \"Id\", \"SearchText\", \"IsArchived\", \"Name\" FROM \"Firms\" WHERE \"Id\" IN ({list}){(sqlite is null ? " ORDER BY \"Id\" FOR UPDATE" : string.Empty)}",
                    r => (Id: r.GetInt64(0), Text: r.GetString(1), Archived: r.GetBoolean(2), Name: r.GetString(3)), ct);
                read.Stop();
                delete.Start();
                await ExecuteAsync(connection, tx, $"DELETE FROM \"FirmSearchGrams\" WHERE \"FirmId\" IN ({list})", ct);
                delete.Stop();

                build.Start();
                grams.Build(firms.Where(f => !f.Archived).Select(f => (f.Id, f.Name, f.Text)));
                build.Stop();

                write.Start();
                if (insert is not null)
                {
                    foreach (var (gram, name, firmId) in grams.Rows())
                    {
                        insert.Add(gram, name, firmId);
                    }
                }
                else
                {
                    // PostgreSQL: binary COPY in the batch's transaction (multi-row INSERTs of 1,000 parameters were
                    // two thirds of the drain there).
                    await CopyAsync((NpgsqlConnection)connection, grams, ct);
                }

                rows += grams.Count;
                await ExecuteAsync(connection, tx, $"DELETE FROM \"FirmSearchBacklog\" WHERE \"FirmId\" IN ({list})", ct);
                write.Stop();
                commit.Start();
                await tx.CommitAsync(ct);
                db.SearchIndexChanged?.Invoke();
                commit.Stop();
                locked.Stop();
                batches++;
                done += ids.Count;
                var elapsed = watch.Elapsed;
                longest = elapsed > longest ? elapsed : longest;
                // The next batch from this one's pace, at most doubling or halving at a time.
                var paced = (int)(ids.Count * TargetBatchTime.TotalMilliseconds / Math.Max(1, elapsed.TotalMilliseconds));
                batchSize = Math.Clamp(paced, Math.Max(MinBatch, batchSize / 2), Math.Min(MaxBatch, batchSize * 2));
            }

            LastLongestBatch = longest;
            LastDrainTime = total.Elapsed;
            LastDrainStats = $"{done} firms, {rows} grams in {batches} batches (last {batchSize} firms), {total.Elapsed.TotalSeconds:F1} s: in transactions {locked.Elapsed.TotalSeconds:F1} s " +
                $"(read {read.Elapsed.TotalSeconds:F1}, deletes {delete.Elapsed.TotalSeconds:F1}, building and sorting {build.Elapsed.TotalSeconds:F1}, inserts {write.Elapsed.TotalSeconds:F1}, commit {commit.Elapsed.TotalSeconds:F1}), " +
                $"yielded to saves {yielded.Elapsed.TotalSeconds:F1} s, longest batch {longest.TotalMilliseconds:F0} ms";
            return done;
        }
        finally
        {
            if (sqlite is not null)
            {
                // The connection goes back to the pool with the service's own cache size (SqlitePragmas).
                await ExecuteAsync(connection, null, SqlitePragmas.Pragmas + (synchronous is { } level ? $" PRAGMA synchronous = {level};" : string.Empty), CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, GramBatch grams, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY \"FirmSearchGrams\" (\"Gram\", \"Name\", \"FirmId\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (gram, name, firmId) in grams.Rows())
        {
            // The rows are buffered; the writes block only when a buffer goes out (the batch runs on its own anyway).
            copy.StartRow();
            copy.Write(gram, NpgsqlDbType.Varchar);
            copy.Write(name, NpgsqlDbType.Varchar);
            copy.Write(firmId, NpgsqlDbType.Bigint);
        }

        await copy.CompleteAsync(ct);
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

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// SQLite's fastest insert: one statement prepared once, its three values bound by position, stepped and reset per
    /// row. It runs in whatever transaction the connection has open (the batch's). Text and integer are bound exactly as
    /// Microsoft.Data.Sqlite would bind the same string and long.
    /// </summary>
    private sealed class GramInsert : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;

        public GramInsert(SqliteConnection connection)
        {
            _db = connection.Handle!;
            var rc = raw.sqlite3_prepare_v2(_db, "INSERT INTO \"FirmSearchGrams\" (\"Gram\", \"Name\", \"FirmId\") VALUES (?1, ?2, ?3)", out _statement);
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        public void Add(string gram, string name, long firmId)
        {
            raw.sqlite3_bind_text(_statement, 1, gram);
            raw.sqlite3_bind_text(_statement, 2, name);
            raw.sqlite3_bind_int64(_statement, 3, firmId);
            var rc = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }

        public void Dispose() => _statement.Dispose();
    }
}

/// <summary>
/// Whether firms may be on the search backlog, their grams not yet (re)written: while so, search and the import's
/// duplicate-name check read the firms' own text instead of the grams (<see cref="Features.Firms.FirmSearch"/>), so an
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

/// <summary>
/// Writes the grams of the search backlog in the background: on start (firms an interrupted import committed), when an
/// import asks (<see cref="Request"/>, right after its firms commit: the import answers without waiting for ~2 M gram
/// rows), and, on PostgreSQL, on a poll every Crm:Search:BacklogPollSeconds for backlog left by another instance of a
/// city deployment. A SQLite file has one service process, whose own imports ask, so there is nothing to poll for there.
/// A failed pass is logged and retried after the poll interval; the backlog rows stay until their grams are in.
/// The look for a backlog runs on a connection of its own, outside the DbContext pool, so a background poll never
/// takes a pooled context from under a request.
/// </summary>
public sealed class SearchGramDrainer(
    IServiceScopeFactory scopes,
    SearchBacklogState state,
    Shared.DataPaths paths,
    Microsoft.Extensions.Options.IOptions<Shared.CrmOptions> options,
    ILogger<SearchGramDrainer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Firms were put on the backlog and committed: mark search pending and drain now.</summary>
    public void Request()
    {
        state.Mark();
        _wake.Release();
    }

    /// <summary>Completes once no backlog is pending (tests, the import benchmark).</summary>
    public async Task WhenCaughtUpAsync(CancellationToken ct)
    {
        while (state.Pending)
        {
            await Task.Delay(10, ct);
        }
    }

    /// <summary>The backlog is looked for before the service takes requests: after a crash, search starts pending.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await AnyAsync(cancellationToken))
        {
            state.Mark();
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Max(1, options.Value.Search.BacklogPollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!state.Dirty && !paths.IsSqlite && await AnyAsync(stoppingToken))
                {
                    state.Mark();
                }

                if (state.Dirty)
                {
                    var snapshot = state.Snapshot();
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
                    var done = await SearchGramBacklog.DrainAsync(db, stoppingToken);
                    state.Cleared(snapshot);
                    if (done > 0)
                    {
                        logger.LogInformation("Search index: grams written for {Count} firms from the backlog ({Stats})", done, SearchGramBacklog.LastDrainStats);
                    }

                    if (state.Dirty)
                    {
                        continue;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: what is left stays on the backlog for the next start.
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Search index: draining the backlog failed; retrying in {Seconds} s", poll.TotalSeconds);
            }

            try
            {
                await _wake.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether any firm is on the backlog, read on a plain connection (not a pooled context).</summary>
    private async Task<bool> AnyAsync(CancellationToken ct)
    {
        await using DbConnection connection = paths.IsSqlite
            ? new SqliteConnection(paths.ConnectionString)
            : new NpgsqlConnection(paths.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM \"FirmSearchBacklog\" LIMIT 1";
        return await command.ExecuteScalarAsync(ct) is not null;
    }
}
