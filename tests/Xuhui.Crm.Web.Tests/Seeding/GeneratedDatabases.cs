using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Seeding;

namespace Xuhui.Crm.Web.Tests.Seeding;

/// <summary>Two small synthetic databases from the same seed, each in its own temp file, built once for the class.</summary>
public sealed class GeneratedDatabases : IAsyncLifetime
{
    public static readonly DateOnly Today = new(2026, 6, 15);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "xuhui-seed-tests-" + Guid.NewGuid().ToString("N"));

    public string First => Path.Combine(_directory, "first.db");
    public string Second => Path.Combine(_directory, "second.db");

    public static SyntheticOptions Options => SyntheticOptions.ForFirms(200, Today, seed: 7);

    public static SyntheticWords Words => SyntheticWords.Load(Path.Combine(AppContext.BaseDirectory, "seed"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await GenerateAsync(First, Options);
        await GenerateAsync(Second, Options);
    }

    public static async Task<SyntheticSummary> GenerateAsync(string file, SyntheticOptions options)
    {
        await using var db = Open(file);
        await db.Database.MigrateAsync();
        return await BulkWriter.WriteAsync(db, options, Words, bulk: true);
    }

    public static CrmDbContext Open(string file) =>
        new(new DbContextOptionsBuilder<CrmDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options);

    /// <summary>Every row of a table as text, in key order, for comparing two databases.</summary>
    public static List<string> Dump(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : reader.GetValue(i).ToString())));
        }

        return rows;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
