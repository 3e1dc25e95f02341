using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>Rows copied into one table and how long it took.</summary>
public sealed record CopiedTable(string Table, long Rows, TimeSpan Elapsed);

/// <summary>
/// Copies a SQLite database of this service into an empty PostgreSQL database migrated with the PostgreSQL migrations,
/// with binary COPY. Tables and columns are matched by name from the PostgreSQL catalog, so a column one side lacks
/// does not break the copy: missing in the source it takes its default, missing in the target it is reported and left.
/// Constraints and indexes are dropped for the load and rebuilt after it (maintaining them row by row is the slow
/// part), tables are copied on several connections at once, each in a transaction that truncates it first, so COPY can
/// FREEZE the rows and, on a wal_level=minimal server, skip the WAL. Identity sequences are then moved past the ids
/// copied, and every table is vacuumed and analysed. A failed copy leaves the database without its constraints: drop
/// it and copy again.
/// </summary>
public static partial class PostgresCopy
{
    private static readonly string[] Skipped = ["__EFMigrationsHistory", "__EFMigrationsLock"];

    /// <summary>A stored value PostgreSQL would refuse (a NUL) or that is longer than its column there.</summary>
    public sealed record BadValue(string Table, string Id, string Column, string Problem);

    /// <param name="repair">Copy bad values repaired (control characters but line breaks and tabs stripped, over-long
    /// text cut to its column) instead of refusing the copy.</param>
    public static async Task<IReadOnlyList<CopiedTable>> RunAsync(
        string sqliteFile, string postgres, TextWriter log, int jobs = 2, bool repair = false, CancellationToken ct = default)
    {
        // Scanned before anything is written: one bad row must not leave a half-copied database behind.
        var limits = ColumnLimits(postgres);
        var bad = Scan(sqliteFile, limits);
        if (bad.Count > 0)
        {
            await log.WriteLineAsync($"  {bad.Count:N0} value(s) PostgreSQL would refuse or that exceed their column:");
            foreach (var b in bad.Take(1000))
            {
                await log.WriteLineAsync($"    {b.Table} id {b.Id} column {b.Column}: {b.Problem}{(repair ? " (repaired)" : string.Empty)}");
            }

            if (bad.Count > 1000)
            {
                await log.WriteLineAsync($"    … and {bad.Count - 1000:N0} more");
            }

            if (!repair)
            {
                throw new InvalidOperationException(
                    $"{bad.Count:N0} value(s) in the SQLite database cannot be copied as they are (listed above; nothing was written): " +
                    "correct them, or copy again with --repair to strip control characters and cut over-long text to its column");
            }
        }

        var repairs = repair && bad.Count > 0 ? limits : null;
        await using (var db = new CrmDbContext(DatabaseSetup.Options(Shared.DatabaseProvider.Postgres, postgres)))
        {
            await db.Database.MigrateAsync(ct);
            await PostgresStatistics.ApplyAsync(db, ct); // before the ANALYZE at the end
        }

        await using var source = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly;Pooling=False");
        await source.OpenAsync(ct);
        await using var target = new NpgsqlConnection(postgres);
        await target.OpenAsync(ct);

        var targetColumns = await TargetColumnsAsync(target, ct);
        var sourceTables = await SourceTablesAsync(source, ct);
        var tables = targetColumns.Keys.Where(t => sourceTables.ContainsKey(t) && !Skipped.Contains(t)).Order(StringComparer.Ordinal).ToList();
        foreach (var t in sourceTables.Keys.Where(t => !targetColumns.ContainsKey(t) && !t.StartsWith("sqlite_", StringComparison.Ordinal)))
        {
            await log.WriteLineAsync($"  {t}: not in the PostgreSQL schema, left out");
        }

        // The copy truncates what it loads: refuse a database that already holds data rather than lose it.
        foreach (var table in tables)
        {
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {Quote(table)})", target);
            if ((bool)(await any.ExecuteScalarAsync(ct))!)
            {
                throw new InvalidOperationException($"the PostgreSQL database is not empty ({table} has rows); copy into a new database");
            }
        }

        Rebuild ddl;
        await using (var tx = await target.BeginTransactionAsync(ct))
        {
            ddl = await DropConstraintsAndIndexesAsync(target, tables, ct);
            await tx.CommitAsync(ct);
        }

        // Largest first, so the last table to finish is a small one.
        var order = tables.OrderByDescending(t => ApproximateRows(source, t)).ToList();
        var copied = new System.Collections.Concurrent.ConcurrentBag<CopiedTable>();
        var copyPhase = Stopwatch.StartNew();
        await InParallelAsync(order, jobs, postgres, (target, table) =>
        {
            using var reader = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly;Pooling=False");
            reader.Open();
            var columns = targetColumns[table].Where(c => sourceTables[table].Contains(c.Name)).ToList();
            foreach (var extra in sourceTables[table].Where(c => targetColumns[table].All(t => t.Name != c)))
            {
                Log(log, $"  {table}.{extra}: not in the PostgreSQL schema, left out");
            }

            var watch = Stopwatch.StartNew();
            // TRUNCATE in the COPY's own transaction: COPY may then FREEZE the rows (no later VACUUM rewrite) and,
            // on a wal_level=minimal server, skip the WAL.
            using var tx = target.BeginTransaction();
            Execute(target, $"TRUNCATE {Quote(table)}");
            var rows = Copy(reader, target, table, columns, repairs);
            tx.Commit();
            copied.Add(new CopiedTable(table, rows, watch.Elapsed));
            Log(log, $"  {table,-22} {rows,12:N0} rows in {watch.Elapsed.TotalSeconds,6:F1} s");
        }, ct);

        var total = copied.Sum(c => c.Rows);
        await log.WriteLineAsync($"  copied {total:N0} rows in {copyPhase.Elapsed.TotalSeconds:F1} s ({total / copyPhase.Elapsed.TotalSeconds:N0} rows/s) on {jobs} connections");

        // Keys and indexes table by table in parallel; foreign keys added NOT VALID (no scan, brief locks), then
        // validated in parallel (VALIDATE takes locks that do not conflict with each other).
        var rebuild = Stopwatch.StartNew();
        var byTable = ddl.KeysAndIndexes.GroupBy(d => d.Table).OrderBy(g => order.IndexOf(g.Key)).ToList();
        await InParallelAsync(byTable, jobs, postgres, (target, group) =>
        {
            Execute(target, "SET maintenance_work_mem = '512MB'");
            foreach (var (_, sql) in group)
            {
                Execute(target, sql);
            }
        }, ct);
        foreach (var (table, name, definition) in ddl.Foreign)
        {
            await ExecuteAsync(target, $"ALTER TABLE {Quote(table)} ADD CONSTRAINT {Quote(name)} {definition} NOT VALID", ct);
        }

        await InParallelAsync(ddl.Foreign, jobs, postgres,
            (target, fk) => Execute(target, $"ALTER TABLE {Quote(fk.Table)} VALIDATE CONSTRAINT {Quote(fk.Name)}"), ct);
        await log.WriteLineAsync($"  constraints and indexes rebuilt in {rebuild.Elapsed.TotalSeconds:F1} s");

        foreach (var table in tables)
        {
            foreach (var column in targetColumns[table].Where(c => c.Identity))
            {
                await ExecuteAsync(target, $"SELECT setval(pg_get_serial_sequence('{Quote(table)}', '{column.Name}'), " +
                    $"COALESCE((SELECT MAX({Quote(column.Name)}) FROM {Quote(table)}), 0) + 1, false)", ct);
            }
        }

        var analyse = Stopwatch.StartNew();
        // VACUUM sets the visibility map where FREEZE did not (older servers), so counts on the gram index stay index-only.
        await InParallelAsync(order, jobs, postgres, (target, table) => Execute(target, $"VACUUM (ANALYZE) {Quote(table)}"), ct);
        await log.WriteLineAsync($"  VACUUM (ANALYZE) in {analyse.Elapsed.TotalSeconds:F1} s");
        return copied.OrderBy(c => c.Table, StringComparer.Ordinal).ToList();
    }

    /// <summary>Runs the work items on <paramref name="jobs"/> connections at once, like pg_restore --jobs.</summary>
    private static async Task InParallelAsync<T>(IReadOnlyList<T> items, int jobs, string postgres, Action<NpgsqlConnection, T> body, CancellationToken ct)
    {
        var queue = new System.Collections.Concurrent.ConcurrentQueue<T>(items);
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(jobs, items.Count))).Select(_ => Task.Run(() =>
        {
            using var connection = new NpgsqlConnection(postgres);
            connection.Open();
            while (!ct.IsCancellationRequested && queue.TryDequeue(out var item))
            {
                body(connection, item);
            }
        }, ct));
        await Task.WhenAll(workers);
        ct.ThrowIfCancellationRequested();
    }

    private static long ApproximateRows(SqliteConnection source, string table)
    {
        using var cmd = source.CreateCommand();
        cmd.CommandText = $"SELECT COALESCE(MAX(rowid), 0) FROM {Quote(table)}";
        try
        {
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0; // a WITHOUT ROWID table: order does not matter enough to count it
        }
    }

    private static readonly Lock LogLock = new();

    private static void Log(TextWriter log, string line)
    {
        lock (LogLock)
        {
            log.WriteLine(line);
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        cmd.ExecuteNonQuery();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
