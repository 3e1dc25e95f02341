using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Data;

// The SQLite migration set against SQLite files; PostgresMigrationTests covers the other set.
[Trait("Provider", "SqliteOnly")]
public sealed class MigrationTests
{
    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = TemplateDatabase.OpenContext(Path.Combine(TemplateDatabase.NewDirectory("pending"), "crm.db"));
        Assert.False(db.Database.HasPendingModelChanges(), "run `dotnet ef migrations add …`: the model differs from the last migration's snapshot");
    }

    [Fact]
    public async Task Migrating_an_empty_database_reaches_the_current_model()
    {
        var dir = TemplateDatabase.NewDirectory("migrate");
        var migratedFile = Path.Combine(dir, "migrated.db");
        var createdFile = Path.Combine(dir, "created.db");
        await using (var migrated = TemplateDatabase.OpenContext(migratedFile))
        {
            await migrated.Database.MigrateAsync();
            Assert.Empty(await migrated.Database.GetPendingMigrationsAsync());
            Assert.Equal(migrated.Database.GetMigrations(), await migrated.Database.GetAppliedMigrationsAsync());
        }

        // EnsureCreated builds the schema straight from the current model: the two must agree table by table.
        await using (var created = TemplateDatabase.OpenContext(createdFile))
        {
            Assert.True(await created.Database.EnsureCreatedAsync());
        }

        var expected = await SchemaAsync(createdFile);
        var actual = await SchemaAsync(migratedFile);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, description) in expected)
        {
            Assert.Equal(description, actual[name]);
        }
    }

    [Fact]
    public async Task The_search_gram_table_is_without_rowid_whether_migrated_or_created()
    {
        var dir = TemplateDatabase.NewDirectory("rowid");
        foreach (var (file, create) in new[] { ("migrated.db", false), ("created.db", true) })
        {
            await using var db = TemplateDatabase.OpenContext(Path.Combine(dir, file));
            if (create)
            {
                Assert.True(await db.Database.EnsureCreatedAsync());
            }
            else
            {
                await db.Database.MigrateAsync();
            }

            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            var sql = (await RowsAsync(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('FirmSearchGrams', 'Firms') ORDER BY name"))
                .ToDictionary(r => r[0], r => r[1]);
            Assert.EndsWith(") WITHOUT ROWID", sql["FirmSearchGrams"], StringComparison.Ordinal);
            Assert.DoesNotContain("WITHOUT ROWID", sql["Firms"], StringComparison.Ordinal);
            // Still the key (Gram, Name, FirmId) and the FirmId index the cascade and the drain's deletes use.
            var indexes = await RowsAsync(connection, "SELECT name FROM pragma_index_list('FirmSearchGrams') ORDER BY name");
            Assert.Equal(["IX_FirmSearchGrams_FirmId", "sqlite_autoindex_FirmSearchGrams_1"], indexes.Select(r => r[0]));
        }
    }

    /// <summary>Tables with their columns, foreign keys and indexes, as SQLite reports them (EF's history and lock tables excluded).</summary>
    private static async Task<Dictionary<string, string>> SchemaAsync(string file)
    {
        await using var db = TemplateDatabase.OpenContext(file);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var tables = await RowsAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('__EFMigrationsHistory', '__EFMigrationsLock')");
        var schema = new Dictionary<string, string>();
        foreach (var table in tables.Select(t => t[0]))
        {
            var columns = await RowsAsync(connection, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}') ORDER BY name");
            var keys = await RowsAsync(connection, $"SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\"");
            var indexes = await RowsAsync(
                connection,
                $"""
                SELECT l.name, l."unique", l.partial, (SELECT group_concat(name, ',') FROM pragma_index_info(l.name)),
                       (SELECT sql FROM sqlite_master m WHERE m.name = l.name)
                FROM pragma_index_list('{table}') l WHERE l.origin <> 'pk' ORDER BY l.name
                """);
            schema[table] = string.Join(
                "\n",
                columns.Select(c => "column " + string.Join(" ", c))
                    .Concat(keys.Select(k => "fk " + string.Join(" ", k)))
                    .Concat(indexes.Select(i => "index " + string.Join(" ", i))));
        }

        return schema;
    }

    private static async Task<List<string[]>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }

        return rows;
    }
}
