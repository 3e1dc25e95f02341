using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>One table's rows over binary COPY: each SQLite value read as EF stored it, written as the PostgreSQL column type.</summary>
public static partial class PostgresCopy
{
    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"];

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

    private static DateTime Instant(string text) =>
        DateTime.ParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
