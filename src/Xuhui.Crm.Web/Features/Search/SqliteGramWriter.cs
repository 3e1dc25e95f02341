using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// SQLite: a batch lets an officer's save in progress go first and holds the host's write gate until it commits; its
/// rows go through the one bulk row writer (a prepared single-row INSERT bound by position). While the drain runs, the
/// connection has a large page cache and no fsync per commit; both are put back when it ends.
/// </summary>
internal sealed class SqliteGramWriter : GramWriter
{
    /// <summary>The drain connection's page cache while it runs (KiB): each batch touches thousands of index pages.</summary>
    private const int DrainCacheKib = 32768;

    /// <summary>A stream of saves cannot stall the drain for longer than this per batch.</summary>
    private static readonly TimeSpan YieldLimit = TimeSpan.FromMilliseconds(250);

    private readonly SqliteConnection _connection;
    private readonly long _synchronous;
    private readonly RowWriter _rows;
    private readonly FirmSearchGram _row = new();
    private readonly WriteGate? _gate;

    private SqliteGramWriter(SqliteConnection connection, long synchronous, IEntityType grams, WriteGate? gate)
    {
        _gate = gate;
        _connection = connection;
        _synchronous = synchronous;
        _rows = new RowWriter(grams, connection);
    }

    public static async Task<SqliteGramWriter> OpenAsync(SqliteConnection connection, IEntityType grams, WriteGate? gate, CancellationToken ct)
    {
        await using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA synchronous";
        var synchronous = Convert.ToInt64(await read.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        // A batch lost to a power cut before its WAL frames reach the disk is still on the backlog (the whole
        // transaction goes, or none of it): the batches need not wait for an fsync each, the WAL stays consistent.
        await ExecuteAsync(connection, null, $"PRAGMA cache_size = -{DrainCacheKib}; PRAGMA synchronous = NORMAL", ct);
        return new SqliteGramWriter(connection, synchronous, grams, gate);
    }

    public override async ValueTask<IDisposable?> TurnAsync(DrainStatistics stats, CancellationToken ct)
    {
        // A context built outside the host has no gate: nothing in this process to take turns with.
        if (_gate is null)
        {
            return null;
        }

        // An officer's save in progress goes first (PostgreSQL locks rows, not the file).
        stats.Yielded.Start();
        await _gate.YieldToSavesAsync(YieldLimit, ct);
        stats.Yielded.Stop();
        // Saves arriving during the batch wait for its commit in process instead of polling the lock.
        return await _gate.BatchAsync(ct);
    }

    public override Task WriteAsync(DbTransaction tx, GramBatch grams, CancellationToken ct)
    {
        _rows.Transaction = tx;
        foreach (var (gram, name, firmId) in grams.Rows())
        {
            // One reused row: the writer copies or binds its values at once.
            _row.Gram = gram;
            _row.Name = name;
            _row.FirmId = firmId;
            _rows.Add(_row);
        }

        _rows.Flush();
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        _rows.Dispose();
        // The connection goes back to the pool with the service's own cache size (SqlitePragmas).
        await ExecuteAsync(_connection, null, SqlitePragmas.Pragmas + $" PRAGMA synchronous = {_synchronous};", CancellationToken.None);
    }
}
