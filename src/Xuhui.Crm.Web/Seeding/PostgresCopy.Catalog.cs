using Microsoft.Data.Sqlite;
using Npgsql;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>What the two databases hold (tables and columns by name) and the constraints dropped for the load and rebuilt after it.</summary>
public static partial class PostgresCopy
{
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
}
