using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Data;

/// <summary>The pragmas reach every physical connection, and a pooled connection is not configured again per query.</summary>
public sealed class SqlitePragmasTests
{
    [Fact]
    public async Task Pragmas_run_once_per_pooled_connection_and_stay_set()
    {
        var file = Path.Combine(TemplateDatabase.NewDirectory("pragmas"), "crm.db");
        var pragmas = new SqlitePragmas();
        var options = new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite($"Data Source={file}")
            .AddInterceptors(pragmas)
            .Options;
        await using (var db = new CrmDbContext(options))
        {
            await db.Database.EnsureCreatedAsync();
        }

        for (var i = 0; i < 5; i++)
        {
            await using var db = new CrmDbContext(options);
            await db.Firms.CountAsync();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            Assert.Equal(-8192L, (long)(await command.ExecuteScalarAsync())!);
            command.CommandText = "PRAGMA temp_store";
            Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!); // MEMORY
        }

        // Sequential contexts reuse one pooled connection: configured on its first open, never again.
        Assert.Equal(1, pragmas.Applied);

        // A second physical connection (the first is busy) gets its own settings.
        await using (var a = new CrmDbContext(options))
        await using (var b = new CrmDbContext(options))
        {
            await a.Database.OpenConnectionAsync();
            await b.Database.OpenConnectionAsync();
            await using var command = b.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            Assert.Equal(-8192L, (long)(await command.ExecuteScalarAsync())!);
        }

        Assert.Equal(2, pragmas.Applied);
        SqliteConnection.ClearAllPools();
    }
}
