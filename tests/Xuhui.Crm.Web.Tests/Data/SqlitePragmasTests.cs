using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Data;

/// <summary>
/// The pragmas reach every physical connection, and a pooled connection is not configured again per query. Physical
/// connections are counted by their native handles, not assumed: another test class clearing every pool
/// (SqliteConnection.ClearAllPools) while this one runs gives it a fresh connection, which is configured once in turn.
/// </summary>
public sealed class SqlitePragmasTests
{
    [Fact]
    public async Task Pragmas_run_once_per_pooled_connection_and_stay_set()
    {
        var file = Path.Combine(TemplateDatabase.NewDirectory("pragmas"), "crm.db");
        var pragmas = new SqlitePragmas();
        var connectionString = $"Data Source={file}";
        var options = new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(pragmas)
            .Options;
        // Every open below is explicit, so each physical connection the interceptor sees is seen here too. Held, so a
        // closed handle's object is never mistaken for a new one.
        var handles = new List<SQLitePCL.sqlite3>();
        void Seen(CrmDbContext db)
        {
            var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
            if (!handles.Any(h => ReferenceEquals(h, handle)))
            {
                handles.Add(handle);
            }
        }

        // The schema is made without the interceptor and outside the pool under test.
        await using (var db = new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options))
        {
            await db.Database.EnsureCreatedAsync();
        }

        for (var i = 0; i < 5; i++)
        {
            await using var db = new CrmDbContext(options);
            await db.Database.OpenConnectionAsync();
            Seen(db);
            await db.Firms.CountAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            Assert.Equal(-8192L, (long)(await command.ExecuteScalarAsync())!);
            command.CommandText = "PRAGMA temp_store";
            Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!); // MEMORY
        }

        // Sequential contexts reuse one pooled connection: configured on its first open, never again (five opens, and
        // the pool normally hands out one connection for all of them).
        Assert.InRange(handles.Count, 1, 3);
        Assert.Equal(handles.Count, pragmas.Applied);

        // A second physical connection (the first is busy) gets its own settings.
        await using (var a = new CrmDbContext(options))
        await using (var b = new CrmDbContext(options))
        {
            await a.Database.OpenConnectionAsync();
            await b.Database.OpenConnectionAsync();
            Seen(a);
            Seen(b);
            Assert.False(ReferenceEquals(((SqliteConnection)a.Database.GetDbConnection()).Handle, ((SqliteConnection)b.Database.GetDbConnection()).Handle));
            await using var command = b.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            Assert.Equal(-8192L, (long)(await command.ExecuteScalarAsync())!);
        }

        Assert.Equal(handles.Count, pragmas.Applied);
        // Only this test's pool: clearing every pool would do to other classes what this test guards against.
        using var probe = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(probe);
    }
}
