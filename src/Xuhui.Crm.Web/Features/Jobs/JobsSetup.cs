using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;

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
    /// <summary>
    /// The scheduler and its housekeeping; the jobs themselves are declared by their features (<c>AddCrmJob</c>).
    /// The store is chosen at registration, from the configuration the host was built with.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JobsOptions>(configuration.GetSection(JobsOptions.Section));
        services.AddSingleton<CrmJobs>();
        services.AddScoped<DistrictRuns>();

        // Order matters: orphaned runs are closed before the scheduler starts, and jobs are scheduled after it started.
        services.AddSingleton<OrphanedRuns>();
        services.AddHostedService(sp => sp.GetRequiredService<OrphanedRuns>());
        services.AddQuartzStore(configuration);
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = false;
        });

        // Read when the host starts, not now: a test host's settings arrive after registration.
        services.AddOptions<QuartzHostedServiceOptions>().Configure<IOptions<JobsOptions>>((o, jobs) => o.AutoStart = jobs.Value.Enabled);
        services.AddHostedService<JobScheduleSetup>();

        // Stopped in reverse: services registered after this stop first, then running jobs are cancelled, then the
        // scheduler shuts down.
        services.AddHostedService<JobInterrupter>();
        return services;
    }

    private static void AddQuartzStore(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration.GetValue<DatabaseProvider>($"{CrmOptions.Section}:Database:Provider") == DatabaseProvider.Postgres;
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddOptions<QuartzSchedulerOptions>()
            .Configure<IOptions<JobsOptions>, DataPaths>((o, jobs, paths) => o.InstanceName = SchedulerName(jobs.Value, paths));
        services.AddQuartz(q => q.UsePersistentStore(store =>
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
        }));
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

    public static JobKey Key(string name) => new(name, JobNames.Group);

    public static TriggerKey TriggerKey(string job, string suffix) => new($"{job}-{suffix}", JobNames.Group);

    /// <summary>The trigger of a <see cref="JobSchedule.Daily"/> job.</summary>
    public static TriggerKey DailyTrigger(string job) => TriggerKey(job, "daily");

    /// <summary>
    /// Every job asks for recovery: a run cut off by a crash runs again when the scheduler next starts (or, clustered,
    /// on the instance that takes over); each job is safe to run twice (the outbox keys, idempotent snapshots).
    /// </summary>
    internal static IJobDetail Detail(CrmJobDefinition job) => JobBuilder.Create().OfType(job.JobType)
        .WithIdentity(Key(job.Name)).RequestRecovery().WithDescription(job.Description).StoreDurably().Build();

    /// <summary>
    /// Built on the scheduler's clock: a trigger keeps the clock it was built with for its fire-time and misfire
    /// arithmetic. Down at the fire time → fire once on recovery, not zero times and not once per missed day.
    /// </summary>
    internal static ITrigger BuildTrigger(CrmJobDefinition job, JobSchedule schedule, string cron, string description, TimeProvider clock)
    {
        var builder = TriggerBuilder.Create(clock)
            .WithIdentity(TriggerKey(job.Name, schedule.TriggerSuffix))
            .ForJob(Key(job.Name))
            .WithDescription(description)
            .WithCronSchedule(cron, b => b.InTimeZone(ShanghaiTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));
        return schedule.FollowsSettings ? builder.StartAt(clock.GetUtcNow()).Build() : builder.Build();
    }
}
