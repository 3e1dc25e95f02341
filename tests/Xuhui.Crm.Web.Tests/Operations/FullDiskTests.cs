using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Tests.Reminders;

namespace Xuhui.Crm.Web.Tests.Operations;

/// <summary>
/// A full disk, simulated without root: SQLite's max_page_count on every connection of the service makes the live
/// database answer SQLITE_FULL exactly as a full disk does; the backup's target has its own limit (Crm:Backup:MaxSizeMegabytes).
/// </summary>
[Trait("Provider", "SqliteOnly")]
public sealed class FullDiskTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private const long NoLimit = 1_073_741_823;

    [Fact]
    public async Task Writes_on_a_full_disk_answer_503_saying_so_readiness_turns_unhealthy_and_both_recover_when_space_returns()
    {
        using var admin = await factory.AdminAsync();
        using var anonymous = factory.Anonymous();
        await admin.CreateFirmAsync();
        var pragmas = factory.Services.GetRequiredService<SqlitePragmas>();
        pragmas.MaxPageCount = 1; // clamped to the file's current size: no page may be added
        try
        {
            // Small writes may still fit into free space on existing pages; a few in, every write needs a new page.
            var statuses = new List<HttpStatusCode>();
            HttpResponseMessage? full = null;
            for (var i = 0; i < 60 && full is null; i++)
            {
                var response = await admin.PostAsJsonAsync("/api/firms", TestData.Firm());
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    full = response;
                }
            }

            Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
            Assert.NotNull(full);
            var problem = await full.JsonAsync();
            Assert.Equal(503, problem["status"]!.GetValue<int>());
            Assert.Contains("存储空间已满", problem.Str("title"), StringComparison.Ordinal);
            Assert.Contains("未保存", problem.Str("detail"), StringComparison.Ordinal);
            Assert.StartsWith("application/problem+json", full.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            Assert.True(full.Headers.Contains("Retry-After"));

            // Whatever kind of write, the answer is a 201 (it still fitted into a page's free space) or a 503 with
            // nothing of it written.
            var refused = 0;
            for (var i = 0; i < 6; i++)
            {
                var before = await factory.RowCountsAsync();
                var response = i % 2 == 0
                    ? await admin.PostAsJsonAsync("/api/firms", TestData.Firm())
                    : await admin.PostAsJsonAsync("/api/users", new { userName = $"full-disk-{i}", displayName = new string('满', 60), role = "officer", password = "Passw0rd-full-disk" });
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable });
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refused++;
                    Assert.Equal(before, await factory.RowCountsAsync());
                }
            }

            Assert.True(refused > 0);

            var ready = await anonymous.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var database = (await ready.JsonAsync())["entries"]!["database"]!;
            Assert.Equal("Unhealthy", database.Str("status"));
            Assert.Contains("storage full", database.Str("description"), StringComparison.Ordinal);

            // Reads still work.
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/firms")).StatusCode);
        }
        finally
        {
            pragmas.MaxPageCount = NoLimit;
        }

        // Space is back: the probe writes again, readiness recovers, and writes go through.
        var again = (await (await anonymous.GetAsync("/health/ready")).JsonAsync())["entries"]!["database"]!;
        Assert.Equal("Healthy", again.Str("status"));
        await admin.CreateFirmAsync();

        // The admins hear of it in their reminders (and so in the next digest); officers do not.
        var mine = await admin.GetJsonAsync("/api/reminders");
        Assert.Contains(mine["items"]!.AsArray(), i => i.Str("kind") == "storage-full" && i.Str("detail")!.Contains("现已恢复", StringComparison.Ordinal));
        var (_, officer) = await factory.UserAndClientAsync(Domain.Users.Roles.Officer);
        Assert.DoesNotContain((await officer.GetJsonAsync("/api/reminders"))["items"]!.AsArray(), i => i.Str("kind") == "storage-full");
        pragmas.MaxPageCount = null;
    }

    [Fact]
    public void A_full_disk_is_recognised_from_sqlite_the_file_system_and_postgresql_however_it_is_wrapped()
    {
        var sqliteFull = new SqliteException("database or disk is full", 13);
        Assert.True(StorageFull.Is(sqliteFull));
        Assert.True(StorageFull.Is(new SqliteException("database or disk is full", 13, 13)));
        Assert.True(StorageFull.Is(new DbUpdateException("save failed", sqliteFull)));
        Assert.True(StorageFull.Is(new InvalidOperationException("outer", new DbUpdateException("save failed", sqliteFull))));
        Assert.True(StorageFull.Is(new AggregateException(new TimeoutException(), sqliteFull)));
        Assert.True(StorageFull.Is(new IOException("No space left on device", 28)));
        Assert.True(StorageFull.Is(new IOException("There is not enough space on the disk.", unchecked((int)0x80070070))));
        Assert.True(StorageFull.Is(new PostgresException("could not extend file", "ERROR", "ERROR", PostgresErrorCodes.DiskFull)));
        Assert.True(StorageFull.Is(new DbUpdateException("save failed", new PostgresException("could not extend file", "ERROR", "ERROR", "53100"))));

        Assert.False(StorageFull.Is(null));
        Assert.False(StorageFull.Is(new SqliteException("UNIQUE constraint failed", 19)));
        Assert.False(StorageFull.Is(new SqliteException("database is locked", 5)));
        Assert.False(StorageFull.Is(new IOException("Permission denied", 13)));
        Assert.False(StorageFull.Is(new IOException("generic")));
        Assert.False(StorageFull.Is(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        Assert.False(StorageFull.Is(new PostgresException("out of memory", "ERROR", "ERROR", PostgresErrorCodes.OutOfMemory)));
        Assert.False(StorageFull.Is(new DbUpdateException("conflict")));
    }
}

/// <summary>The nightly backup onto a target with no room: a failed run and record, no partial file, readiness and the digest.</summary>
[Collection(RemindersCollection.Name)]
[Trait("Provider", "SqliteOnly")]
public sealed class FullBackupTargetTests
{
    [Fact]
    public async Task A_backup_onto_a_full_target_fails_visibly_and_leaves_no_partial_file()
    {
        await using var host = CrmFactory.On(
            CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 9, 0),
            new Dictionary<string, string?> { ["Crm:Jobs:Enabled"] = "true", ["Crm:Backup:MaxSizeMegabytes"] = "0.02" });
        var admin = await host.AdminAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/admin/jobs/nightly-backup/run", null)).StatusCode);
        await SchedulerTests.WaitUntilAsync(
            async () => await host.WithDbAsync(db => db.JobRuns.AnyAsync(r => r.JobName == JobNames.NightlyBackup && r.Outcome != JobOutcome.Running)),
            TimeSpan.FromSeconds(30));

        var run = await host.WithDbAsync(db => db.JobRuns.AsNoTracking().SingleAsync(r => r.JobName == JobNames.NightlyBackup));
        Assert.Equal(JobOutcome.Failed, run.Outcome);
        Assert.Contains("存储空间已满", run.Message, StringComparison.Ordinal);
        var record = await host.WithDbAsync(db => db.Backups.AsNoTracking().SingleAsync());
        Assert.False(record.Succeeded);
        var backups = Path.Combine(host.DataDirectory, "backups");
        Assert.Empty(Directory.Exists(backups) ? Directory.GetFiles(backups) : []);

        var jobs = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/admin/jobs");
        var backup = jobs!.Single(j => j!["name"]!.GetValue<string>() == JobNames.NightlyBackup)!;
        Assert.Equal("failed", backup["lastRun"]!["outcome"]!.GetValue<string>());

        var ready = await (await host.CreateClient().GetAsync("/health/ready")).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal("Unhealthy", ready!["entries"]!["backup"]!["status"]!.GetValue<string>());
        var reminders = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/reminders");
        Assert.Contains(reminders!["items"]!.AsArray(), i => i!["kind"]!.GetValue<string>() == "backup-problem" && i["detail"]!.GetValue<string>().Contains("存储空间已满", StringComparison.Ordinal));
    }
}
