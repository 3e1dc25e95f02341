using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>The values PostgreSQL would refuse or cut, found before the copy and optionally repaired in it.</summary>
public static partial class PostgresCopy
{
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
}
