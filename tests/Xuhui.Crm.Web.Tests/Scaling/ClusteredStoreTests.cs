using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Tests.Reminders;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Jobs;

namespace Xuhui.Crm.Web.Tests.Scaling;

/// <summary>The job store follows the database: clustered on PostgreSQL, its own non-clustered file on SQLite.</summary>
[Collection(RemindersCollection.Name)]
public sealed class ClusteredStoreTests
{
    [Fact]
    public async Task The_scheduler_is_clustered_exactly_when_the_database_is_PostgreSQL()
    {
        var data = CrmFactory.NewDataDirectory();
        await using var host = CrmFactory.On(data, CrmFactory.ClockAt(2026, 3, 9, 7, 0), new Dictionary<string, string?> { ["Crm:Jobs:Enabled"] = "true" });
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var meta = await scheduler.GetMetadata();

        Assert.True(meta.JobStorePersistent);
        Assert.Equal(TestProvider.IsPostgres, meta.JobStoreClustered);
        Assert.Equal(!TestProvider.IsPostgres, File.Exists(Path.Combine(data, "quartz.db")));
    }
}

/// <summary>On PostgreSQL backups are the server's: the nightly job runs, takes none, and says so.</summary>
[Trait("Provider", "PostgresOnly")]
public sealed class PostgresBackupJobTests(Operations.SchedulerOpsTests.Factory factory) : IClassFixture<Operations.SchedulerOpsTests.Factory>
{
    [Fact]
    public async Task The_nightly_backup_job_records_skipped_and_writes_no_file()
    {
        Assert.True(TestProvider.IsPostgres, "PostgreSQL-only: run through tests/run.sh or set XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG");
        using var admin = await factory.AdminAsync();
        using var run = await admin.PostAsync(new Uri("/api/admin/jobs/nightly-backup/run", UriKind.Relative), null);
        await run.ExpectAsync(System.Net.HttpStatusCode.Accepted);

        Web.Features.Jobs.JobRun? done = null;
        for (var i = 0; i < 100 && done is null; i++)
        {
            await Task.Delay(100);
            done = await factory.WithDbAsync(db => db.JobRuns.AsNoTracking()
                .FirstOrDefaultAsync(r => r.JobName == Web.Features.Jobs.JobNames.NightlyBackup && r.FinishedAt != null));
        }

        Assert.NotNull(done);
        Assert.Equal(Web.Features.Jobs.JobOutcome.Skipped, done.Outcome);
        Assert.Contains("pg_dump", done.Message, StringComparison.Ordinal);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Backups.CountAsync()));
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "backups")));

        using var anonymous = factory.Anonymous();
        var ready = await (await anonymous.GetAsync("/health/ready")).JsonAsync();
        Assert.Equal("Healthy", ready["entries"]!["backup"].Str("status"));
    }
}
