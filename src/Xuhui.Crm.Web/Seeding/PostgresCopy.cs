using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
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
public static class PostgresCopy
{
    private static readonly string[] Skipped = ["__EFMigrationsHistory", "__EFMigrationsLock"];

    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"];

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

    private sealed record Column(string Name, string Type, bool Identity);

    private static long Copy(SqliteConnection source, NpgsqlConnection target, string table, List<Column> columns, Dictionary<(string, string), int?>? repairs)
    {
        var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
        var writers = columns.Select(c => repairs is null ? Writer(table, c) : Repairing(table, c, repairs)).ToArray();
        using var select = source.CreateCommand();
        select.CommandText = $"SELECT {names} FROM {Quote(table)}";
        using var reader = select.ExecuteReader();
        using var import = target.BeginBinaryImport($"COPY {Quote(table)} ({names}) FROM STDIN (FORMAT BINARY, FREEZE)");
        long rows = 0;
        while (reader.Read())
        {
            import.StartRow();
            for (var i = 0; i < writers.Length; i++)
            {
                if (reader.IsDBNull(i))
                {
                    import.WriteNull();
                }
                else
                {
                    writers[i](import, reader, i);
                }
            }

            rows++;
        }

        import.Complete();
        return rows;
    }

    /// <summary>Reads a SQLite value as EF's SQLite provider stored it and writes it as PostgreSQL's column type.</summary>
    private static Action<NpgsqlBinaryImporter, SqliteDataReader, int> Writer(string table, Column column) => column.Type switch
    {
        "int8" => (w, r, i) => w.Write(r.GetInt64(i), NpgsqlDbType.Bigint),
        "int4" => (w, r, i) => w.Write(r.GetInt32(i), NpgsqlDbType.Integer),
        "int2" => (w, r, i) => w.Write(r.GetInt16(i), NpgsqlDbType.Smallint),
        "bool" => (w, r, i) => w.Write(r.GetInt64(i) != 0, NpgsqlDbType.Boolean),
        "float8" => (w, r, i) => w.Write(r.GetDouble(i), NpgsqlDbType.Double),
        "float4" => (w, r, i) => w.Write((float)r.GetDouble(i), NpgsqlDbType.Real),
        "numeric" => (w, r, i) => w.Write(decimal.Parse(r.GetString(i), CultureInfo.InvariantCulture), NpgsqlDbType.Numeric),
        "text" or "varchar" or "bpchar" => (w, r, i) => w.Write(r.GetString(i), NpgsqlDbType.Text),
        "json" => (w, r, i) => w.Write(r.GetString(i), NpgsqlDbType.Json),
        "jsonb" => (w, r, i) => w.Write(r.GetString(i), NpgsqlDbType.Jsonb),
        "uuid" => (w, r, i) => w.Write(Guid.Parse(r.GetString(i)), NpgsqlDbType.Uuid),
        "bytea" => (w, r, i) => w.Write(r.GetFieldValue<byte[]>(i), NpgsqlDbType.Bytea),
        "date" => (w, r, i) => w.Write(DateOnly.ParseExact(r.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture), NpgsqlDbType.Date),
        "timestamptz" => (w, r, i) => w.Write(Instant(r.GetString(i)), NpgsqlDbType.TimestampTz),
        "timestamp" => (w, r, i) => w.Write(DateTime.SpecifyKind(Instant(r.GetString(i)), DateTimeKind.Unspecified), NpgsqlDbType.Timestamp),
        // EF's SQLite provider keeps a primitive collection as a JSON array.
        "_text" => (w, r, i) => w.Write(JsonSerializer.Deserialize<string[]>(r.GetString(i)) ?? [], NpgsqlDbType.Array | NpgsqlDbType.Text),
        _ => throw new NotSupportedException($"{table}.{column.Name}: no copy for PostgreSQL type {column.Type}"),
    };

    /// <summary>The text writers with the repair applied; every other type as <see cref="Writer"/>.</summary>
    private static Action<NpgsqlBinaryImporter, SqliteDataReader, int> Repairing(string table, Column column, Dictionary<(string, string), int?> limits)
    {
        var max = limits.GetValueOrDefault((table, column.Name));
        return column.Type switch
        {
            "text" or "varchar" or "bpchar" => (w, r, i) => w.Write(Repair(r.GetString(i), max), NpgsqlDbType.Text),
            "_text" => (w, r, i) => w.Write((JsonSerializer.Deserialize<string[]>(r.GetString(i)) ?? []).Select(v => Repair(v, null)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            _ => Writer(table, column),
        };
    }

    /// <summary>Strips control characters (line breaks and tabs stay) and unpaired surrogates, then cuts to the column's length.</summary>
    public static string Repair(string value, int? maxLength)
    {
        var kept = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                kept.Append(c).Append(value[++i]);
            }
            else if (!char.IsSurrogate(c) && (!char.IsControl(c) || c is '\n' or '\r' or '\t'))
            {
                kept.Append(c);
            }
        }

        var text = kept.ToString();
        return maxLength is { } max && text.Length > max ? text[..max] : text;
    }

    /// <summary>The length of every text column of the PostgreSQL model (null: unbounded), by table and column name.</summary>
    private static Dictionary<(string, string), int?> ColumnLimits(string postgres)
    {
        using var db = new CrmDbContext(DatabaseSetup.Options(Shared.DatabaseProvider.Postgres, postgres));
        var limits = new Dictionary<(string, string), int?>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } table)
            {
                continue;
            }

            var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName(store) is { } name)
                {
                    limits[(table, name)] = property.ClrType == typeof(string) ? property.GetMaxLength() : null;
                }
            }
        }

        return limits;
    }

    /// <summary>Every text value of the SQLite file that PostgreSQL refuses (NUL, unpaired surrogates) or that is longer than its column.</summary>
    public static List<BadValue> Scan(string sqliteFile, Dictionary<(string, string), int?> limits)
    {
        var bad = new List<BadValue>();
        using var source = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly;Pooling=False");
        source.Open();
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using (var cmd = source.CreateCommand())
        {
            cmd.CommandText = "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var table = reader.GetString(0);
                if (!tables.TryGetValue(table, out var columns))
                {
                    tables[table] = columns = [];
                }

                columns.Add(reader.GetString(1));
            }
        }

        foreach (var (table, columns) in tables)
        {
            if (Skipped.Contains(table))
            {
                continue;
            }

            var id = columns.Contains("Id") ? Quote("Id") : Quote(columns[0]);
            foreach (var column in columns)
            {
                using var cmd = source.CreateCommand();
                cmd.CommandText = $"SELECT {id}, {Quote(column)} FROM {Quote(table)} WHERE typeof({Quote(column)}) = 'text'";
                using var reader = cmd.ExecuteReader();
                var max = limits.GetValueOrDefault((table, column));
                while (reader.Read())
                {
                    var value = reader.GetString(1);
                    var problem = Problem(value, max);
                    if (problem is null && value.StartsWith('[') && value.Contains("\\u0000", StringComparison.Ordinal))
                    {
                        problem = "NUL character in a list element";
                    }

                    if (problem is not null)
                    {
                        bad.Add(new BadValue(table, Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "?", column, problem));
                    }
                }
            }
        }

        return bad;
    }

    private static string? Problem(string value, int? max)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return "NUL character";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return "unpaired surrogate (invalid UTF-8)";
            }
        }

        return max is { } m && value.Length > m ? $"{value.Length} characters, the column holds {m}" : null;
    }

    private static DateTime Instant(string text) =>
        DateTime.ParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static async Task<Dictionary<string, List<Column>>> TargetColumnsAsync(NpgsqlConnection target, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT c.relname, a.attname, t.typname, a.attidentity <> ''
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
              AND NOT a.attisdropped AND a.attgenerated = ''
            ORDER BY c.relname, a.attnum
            """, target);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var tables = new Dictionary<string, List<Column>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = [];
            }

            columns.Add(new Column(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }

        return tables;
    }

    private static async Task<Dictionary<string, HashSet<string>>> SourceTablesAsync(SqliteConnection source, CancellationToken ct)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await using var cmd = source.CreateCommand();
        cmd.CommandText = "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = new HashSet<string>(StringComparer.Ordinal);
            }

            columns.Add(reader.GetString(1));
        }

        return tables;
    }

    /// <summary>
    /// Drops the foreign keys touching the tables, then their indexes and keys, and returns what recreates them: keys and
    /// indexes by table, then the foreign keys (a foreign key needs the key it references).
    /// </summary>
    private sealed record Rebuild(List<(string Table, string Sql)> KeysAndIndexes, List<(string Table, string Name, string Definition)> Foreign);

    private static async Task<Rebuild> DropConstraintsAndIndexesAsync(NpgsqlConnection target, List<string> tables, CancellationToken ct)
    {
        var names = tables.ToArray();
        var constraints = new List<(string Table, string Name, char Kind, string Definition)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            LEFT JOIN pg_class r ON r.oid = c.confrelid
            WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
              AND (t.relname = ANY(@tables) OR r.relname = ANY(@tables))
            """, target))
        {
            cmd.Parameters.AddWithValue("tables", names);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                constraints.Add((reader.GetString(0), reader.GetString(1), reader.GetChar(2), reader.GetString(3)));
            }
        }

        var indexes = new List<(string Table, string Name, string Definition)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT i.tablename, i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
            """, target))
        {
            cmd.Parameters.AddWithValue("tables", names);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var foreign = constraints.Where(c => c.Kind == 'f').ToList();
        var keys = constraints.Where(c => c.Kind != 'f').ToList();
        foreach (var c in foreign.Concat(keys))
        {
            await ExecuteAsync(target, $"ALTER TABLE {Quote(c.Table)} DROP CONSTRAINT {Quote(c.Name)}", ct);
        }

        foreach (var (_, name, _) in indexes)
        {
            await ExecuteAsync(target, $"DROP INDEX {Quote(name)}", ct);
        }

        return new Rebuild(
            keys.Select(c => (c.Table, $"ALTER TABLE {Quote(c.Table)} ADD CONSTRAINT {Quote(c.Name)} {c.Definition}"))
                .Concat(indexes.Select(i => (i.Table, i.Definition))).ToList(),
            foreign.Select(c => (c.Table, c.Name, c.Definition)).ToList());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
