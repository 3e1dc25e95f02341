using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Seeding;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Data;

/// <summary>
/// A district database holding values PostgreSQL refuses (a NUL) or that are longer than their column there: the copy
/// lists them by table, id and column before it writes anything and exits non-zero; with --repair it copies them
/// repaired and says so.
/// </summary>
[Trait("Provider", "PostgresOnly")]
public sealed class PostgresCopyScanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("xuhui-copy-").FullName;
    private readonly List<string> _databases = [];

    private async Task<(string File, long FirmId, long ContactId, long CleanFirmId)> BadSourceAsync()
    {
        var file = Path.Combine(_directory, "district.db");
        await using (var db = new CrmDbContext(DatabaseSetup.Options(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False")))
        {
            await db.Database.MigrateAsync();
            var firm = new Firm { Name = "上海坏数据科技有限公司", Address = "虹梅路1号" };
            var clean = new Firm { Name = "上海好数据科技有限公司", Address = "虹梅路2号" };
            db.Firms.AddRange(firm, clean);
            await db.SaveChangesAsync();
            var contact = new Contact { FirmId = firm.Id, Name = "张三" };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();

            // Written past the service's rules, as an older version or a hand edit could have.
            await db.Database.ExecuteSqlAsync($"UPDATE Firms SET Address = '虹梅' || char(0) || '路' || char(7) || '1号' WHERE Id = {firm.Id}");
            await db.Database.ExecuteSqlAsync($"UPDATE Contacts SET Name = {new string('王', 150)} WHERE Id = {contact.Id}");
            return (file, firm.Id, contact.Id, clean.Id);
        }
    }

    private string NewDatabase()
    {
        var name = TestProvider.CreateDatabase("copy");
        _databases.Add(name);
        return name;
    }

    private static async Task<long> FirmCountAsync(string database)
    {
        await using var connection = new NpgsqlConnection(TestProvider.ConnectionString(database, pooling: false));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM \"Firms\"", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_bad_row_is_reported_by_table_id_and_column_and_nothing_is_copied()
    {
        Assert.True(TestProvider.IsPostgres, "PostgreSQL-only: run through tests/run.sh or set XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG");
        var (file, firmId, contactId, _) = await BadSourceAsync();
        var database = NewDatabase();
        var log = new StringWriter();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresCopy.RunAsync(file, TestProvider.ConnectionString(database, pooling: false), log));

        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Contains("--repair", error.Message, StringComparison.Ordinal);
        var text = log.ToString();
        Assert.Contains($"Firms id {firmId} column Address: NUL character", text, StringComparison.Ordinal);
        Assert.Contains($"Contacts id {contactId} column Name: 150 characters, the column holds 100", text, StringComparison.Ordinal);
        Assert.Equal(0, await FirmCountAsync(database));

        // The command says so and exits non-zero.
        var exit = await Commands.RunAsync(["copy-to-postgres", "--from", file, "--to", TestProvider.ConnectionString(database, pooling: false)]);
        Assert.NotEqual(0, exit);
        Assert.Equal(0, await FirmCountAsync(database));
    }

    [Fact]
    public async Task With_repair_the_bad_values_are_copied_repaired_and_listed()
    {
        Assert.True(TestProvider.IsPostgres, "PostgreSQL-only: run through tests/run.sh or set XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG");
        var (file, firmId, contactId, cleanId) = await BadSourceAsync();
        var database = NewDatabase();
        var log = new StringWriter();

        var tables = await PostgresCopy.RunAsync(file, TestProvider.ConnectionString(database, pooling: false), log, repair: true);

        Assert.Equal(2, tables.Single(t => t.Table == "Firms").Rows);
        Assert.Contains($"Firms id {firmId} column Address: NUL character (repaired)", log.ToString(), StringComparison.Ordinal);
        await using var db = TestProvider.OpenContext(database);
        Assert.Equal("虹梅路1号", await db.Firms.Where(f => f.Id == firmId).Select(f => f.Address).SingleAsync());
        Assert.Equal("虹梅路2号", await db.Firms.Where(f => f.Id == cleanId).Select(f => f.Address).SingleAsync());
        Assert.Equal(new string('王', 100), await db.Contacts.Where(c => c.Id == contactId).Select(c => c.Name).SingleAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var database in _databases)
        {
            TestProvider.Drop(database);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
