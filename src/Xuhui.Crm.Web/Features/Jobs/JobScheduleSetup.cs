using Microsoft.Extensions.Options;
using Quartz;
using Xuhui.Crm.Domain.Time;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>
/// Runs after the scheduler has started (and so after its misfire recovery): stores every registered job's details and
/// schedules its trigger when absent. An existing trigger is left alone — replacing it would reset its next fire time
/// and swallow a misfire — unless its schedule follows the settings and the configured time or zone changed, in which
/// case it is rescheduled.
/// </summary>
public sealed class JobScheduleSetup(
    ISchedulerFactory factory,
    CrmJobs registered,
    IOptions<JobsOptions> jobs,
    IServiceProvider services,
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
        foreach (var job in registered.All)
        {
            await scheduler.AddJob(JobsSetup.Detail(job), AddJobOptions.Replacing, cancellationToken);
        }

        foreach (var job in registered.All)
        {
            if (job.Schedule is { } schedule)
            {
                await EnsureTriggerAsync(scheduler, job, schedule, cancellationToken);
            }
        }
    }

    private async Task EnsureTriggerAsync(IScheduler scheduler, CrmJobDefinition job, JobSchedule schedule, CancellationToken ct)
    {
        var (cron, description) = schedule.Read(services);
        var key = JobsSetup.TriggerKey(job.Name, schedule.TriggerSuffix);
        var existing = await scheduler.GetTrigger(key, ct);
        if (existing is null)
        {
            await scheduler.ScheduleJob(JobsSetup.BuildTrigger(job, schedule, cron, description, scheduler.TimeProvider ?? clock), new ScheduleJobOptions(), ct);
            logger.LogInformation("Scheduled {Job} at {Cron} Asia/Shanghai", job.Name, cron);
        }
        else if (schedule.FollowsSettings
            && (existing is not ICronTrigger c || c.CronExpressionString != cron || c.TimeZone.Id != ShanghaiTime.Zone.Id))
        {
            await scheduler.RescheduleJob(key, JobsSetup.BuildTrigger(job, schedule, cron, description, scheduler.TimeProvider ?? clock), ct);
            logger.LogInformation("Rescheduled {Job} to {Cron} Asia/Shanghai", job.Name, cron);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
