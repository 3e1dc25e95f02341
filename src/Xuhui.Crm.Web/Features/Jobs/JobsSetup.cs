using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Operations;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>Settings under "Crm:Jobs".</summary>
public sealed class JobsOptions
{
    public const string Section = "Crm:Jobs";

    /// <summary>Start the scheduler with the host; off, jobs can still be listed but nothing fires.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The scheduler's name, which keys its rows in the Quartz tables. When empty it is derived from where the data is —
    /// the data directory on SQLite, server and database on PostgreSQL — so two hosts in one process (tests) never share
    /// a scheduler, one host on the same files always finds its triggers, and every instance on one PostgreSQL database
    /// joins the same cluster.
    /// </summary>
    public string? SchedulerName { get; set; }

    /// <summary>PostgreSQL only: how often each instance checks in with the cluster, in seconds.</summary>
    public int ClusterCheckinSeconds { get; set; } = 15;

    /// <summary>PostgreSQL only: how long past a missed check-in before another instance takes over its jobs, in seconds.</summary>
    public int ClusterCheckinMisfireSeconds { get; set; } = 30;
}

public static class JobsSetup
{
    /// <summary>The store is chosen at registration, from the configuration the host was built with.</summary>
    public static IServiceCollection AddCrmJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration.GetValue<DatabaseProvider>($"{CrmOptions.Section}:Database:Provider") == DatabaseProvider.Postgres;
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddOptions<QuartzSchedulerOptions>()
            .Configure<IOptions<JobsOptions>, DataPaths>((o, jobs, paths) => o.InstanceName = SchedulerName(jobs.Value, paths));
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                if (postgres)
                {
                    // The qrtz_ tables in the CRM's database, created on first start when absent (Quartz only ever
                    // creates, never alters or drops). Clustered: every instance runs the scheduler, the database
                    // row locks let one of them fire each trigger, and a dead instance's jobs are taken over.
                    store.UsePostgres(ds => ds.DataSourceFactory = sp => NpgsqlDataSource.Create(sp.GetRequiredService<DataPaths>().ConnectionString));
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(options.ClusterCheckinSeconds);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(options.ClusterCheckinMisfireSeconds);
                    });
                }
                else
                {
                    // Its own file beside crm.db: Quartz's tables never mix with the migrated schema. Created on first
                    // start (only ever creates, never drops); SQLite rules out clustering, which a single node does not need.
                    store.UseSqlite(ds => ds.DataSourceFactory = sp =>
                        SqliteFactory.Instance.CreateDataSource($"Data Source={QuartzDatabase(sp.GetRequiredService<DataPaths>())};Pooling=True"));
                }

                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer();
            });
            q.AddJobType<DailyDigestJob>();
            q.AddJobType<MonthlyReportJob>();
            q.AddJobType<MonthEndSnapshotJob>();
            q.AddJobType<NightlyBackupJob>();
        });
        return services;
    }

    public static string QuartzDatabase(DataPaths paths) => Path.Combine(paths.DataDirectory, "quartz.db");

    public static string SchedulerName(JobsOptions jobs, DataPaths paths) =>
        jobs.SchedulerName is { Length: > 0 } name
            ? name
            : "xuhui-crm-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WhereTheDataIs(paths))))[..8];

    private static string WhereTheDataIs(DataPaths paths)
    {
        if (paths.IsSqlite)
        {
            return paths.DataDirectory;
        }

        var cs = new NpgsqlConnectionStringBuilder(paths.ConnectionString);
        return $"{cs.Host}:{cs.Port}/{cs.Database}";
    }

    public static string DigestCron(RemindersOptions o) => $"0 {o.DigestTimeOfDay.Minute} {o.DigestTimeOfDay.Hour} * * ?";

    public static TriggerKey DigestTrigger { get; } = new($"{JobNames.DailyDigest}-daily", JobNames.Group);

    public static JobKey Key(string name) => new(name, JobNames.Group);

    /// <summary>
    /// Every job asks for recovery: a run cut off by a crash runs again when the scheduler next starts (or, clustered,
    /// on the instance that takes over); each job is safe to run twice (the outbox keys, idempotent snapshots).
    /// </summary>
    internal static IJobDetail Detail(string name) => name switch
    {
        JobNames.DailyDigest => JobBuilder.Create<DailyDigestJob>().WithIdentity(Key(name)).RequestRecovery().WithDescription("每日提醒摘要 (daily digest)").StoreDurably().Build(),
        JobNames.MonthlyReport => JobBuilder.Create<MonthlyReportJob>().WithIdentity(Key(name)).RequestRecovery().WithDescription("月度报告 (monthly report)").StoreDurably().Build(),
        JobNames.MonthEndSnapshot => JobBuilder.Create<MonthEndSnapshotJob>().WithIdentity(Key(name)).RequestRecovery().WithDescription("月末快照 (month-end snapshot)").StoreDurably().Build(),
        JobNames.NightlyBackup => JobBuilder.Create<NightlyBackupJob>().WithIdentity(Key(name)).RequestRecovery().WithDescription("每日数据库备份 (nightly backup)").StoreDurably().Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static TriggerKey BackupTrigger { get; } = new($"{JobNames.NightlyBackup}-daily", JobNames.Group);

    public static string BackupCron(Features.Operations.BackupOptions o)
    {
        var time = TimeOnly.ParseExact(o.Time, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return $"0 {time.Minute} {time.Hour} * * ?";
    }

    internal static ITrigger BuildDailyTrigger(TriggerKey key, string job, string cron, string description, TimeProvider clock) => TriggerBuilder.Create(clock)
        .WithIdentity(key)
        .StartAt(clock.GetUtcNow())
        .ForJob(Key(job))
        .WithDescription(description)
        .WithCronSchedule(cron, b => b.InTimeZone(ShanghaiTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
        .Build();

    /// <summary>Built on the scheduler's clock: a trigger keeps the clock it was built with for its fire-time and misfire arithmetic.</summary>
    internal static ITrigger BuildDigestTrigger(RemindersOptions o, TimeProvider clock) => TriggerBuilder.Create(clock)
        .WithIdentity(DigestTrigger)
        .StartAt(clock.GetUtcNow())
        .ForJob(Key(JobNames.DailyDigest))
        .WithDescription($"每天 {o.DigestTime}（Asia/Shanghai），是否发送由工作日历决定")
        // Down at the fire time → fire once on recovery, not zero times and not once per missed day.
        .WithCronSchedule(DigestCron(o), b => b.InTimeZone(ShanghaiTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
        .Build();
}

/// <summary>
/// Runs after the scheduler has started (and so after its misfire recovery): stores the job details and schedules the
/// digest trigger when absent. An existing trigger is left alone — replacing it would reset its next fire time and
/// swallow a misfire — unless the configured time or zone changed, in which case it is rescheduled.
/// </summary>
public sealed class JobScheduleSetup(
    ISchedulerFactory factory,
    IOptions<RemindersOptions> options,
    IOptions<JobsOptions> jobs,
    IOptions<Features.Operations.BackupOptions> backup,
    TimeProvider clock,
    ILogger<JobScheduleSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!jobs.Value.Enabled)
        {
            return;
        }

        var scheduler = await factory.GetScheduler(cancellationToken);
        foreach (var name in JobNames.All)
        {
            await scheduler.AddJob(JobsSetup.Detail(name), AddJobOptions.Replacing, cancellationToken);
        }

        var wanted = JobsSetup.BuildDigestTrigger(options.Value, scheduler.TimeProvider ?? clock);
        var existing = await scheduler.GetTrigger(JobsSetup.DigestTrigger, cancellationToken);
        if (existing is null)
        {
            await scheduler.ScheduleJob(wanted, new ScheduleJobOptions(), cancellationToken);
            logger.LogInformation("Scheduled {Job} at {Cron} Asia/Shanghai", JobNames.DailyDigest, JobsSetup.DigestCron(options.Value));
        }
        else if (existing is not ICronTrigger cron || cron.CronExpressionString != JobsSetup.DigestCron(options.Value) || cron.TimeZone.Id != ShanghaiTime.Zone.Id)
        {
            await scheduler.RescheduleJob(JobsSetup.DigestTrigger, wanted, cancellationToken);
            logger.LogInformation("Rescheduled {Job} to {Cron} Asia/Shanghai", JobNames.DailyDigest, JobsSetup.DigestCron(options.Value));
        }

        // The monthly jobs have fixed times: schedule them when absent, and leave an existing trigger (and its misfire) alone.
        foreach (var (job, cron, description) in ReportSchedule.Schedules)
        {
            if (await scheduler.GetTrigger(ReportSchedule.TriggerKey(JobsSetup.Key(job)), cancellationToken) is null)
            {
                await scheduler.ScheduleJob(ReportSchedule.Trigger(JobsSetup.Key(job), cron, description, scheduler.TimeProvider ?? clock), new ScheduleJobOptions(), cancellationToken);
                logger.LogInformation("Scheduled {Job} at {Cron} Asia/Shanghai", job, cron);
            }
        }

        await EnsureDailyAsync(
            scheduler, JobsSetup.BackupTrigger, JobNames.NightlyBackup, JobsSetup.BackupCron(backup.Value), $"每天 {backup.Value.Time}（Asia/Shanghai）备份数据库", cancellationToken);
    }

    /// <summary>Schedules a daily cron trigger when absent, reschedules it when its time changed, else leaves it (and its misfire) alone.</summary>
    private async Task EnsureDailyAsync(IScheduler scheduler, TriggerKey key, string job, string cron, string description, CancellationToken ct)
    {
        var wanted = JobsSetup.BuildDailyTrigger(key, job, cron, description, scheduler.TimeProvider ?? clock);
        var existing = await scheduler.GetTrigger(key, ct);
        if (existing is null)
        {
            await scheduler.ScheduleJob(wanted, new ScheduleJobOptions(), ct);
            logger.LogInformation("Scheduled {Job} at {Cron} Asia/Shanghai", job, cron);
        }
        else if (existing is not ICronTrigger c || c.CronExpressionString != cron || c.TimeZone.Id != ShanghaiTime.Zone.Id)
        {
            await scheduler.RescheduleJob(key, wanted, ct);
            logger.LogInformation("Rescheduled {Job} to {Cron} Asia/Shanghai", job, cron);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
