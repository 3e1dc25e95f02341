using Quartz;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>
/// On a graceful stop, before the scheduler shuts down (which waits for running jobs): cancels every running job, so a
/// slow batch ends at its next step and records itself "interrupted" within the host's shutdown timeout, instead of
/// being cut off mid-batch with its run still "running". Registered after the scheduler, so it stops before it.
/// </summary>
public sealed class JobInterrupter(ISchedulerFactory factory, CrmJobs jobs, ILogger<JobInterrupter> logger) : IHostedService
{
    private IScheduler? _scheduler;

    /// <summary>The scheduler is looked up while the container is alive; at stop it may already be going.</summary>
    public async Task StartAsync(CancellationToken cancellationToken) => _scheduler = await factory.GetScheduler(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is not { } scheduler)
        {
            return;
        }

        try
        {
            if (scheduler.Status != SchedulerStatus.Running)
            {
                return;
            }

            foreach (var job in jobs.All)
            {
                if (await scheduler.Interrupt(JobsSetup.Key(job.Name), cancellationToken))
                {
                    logger.LogWarning("Stopping: job {Job} was running and has been asked to stop", job.Name);
                }
            }
        }
        catch (Exception e) when (e is SchedulerException or ObjectDisposedException or OperationCanceledException)
        {
            // The scheduler is already shutting down (or the host is being torn down): it will stop its jobs itself.
            logger.LogDebug(e, "Job interrupt at stop skipped");
        }
    }
}
