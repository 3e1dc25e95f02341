using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>
/// The signal that the scheduler has caught up with a time: a one-shot probe trigger at that time, which Quartz fires
/// only after every trigger due before it. Once it has fired and no job is executing, whatever the scheduler would do
/// up to that time has happened, so a test can assert that something did not happen without sleeping.
/// </summary>
public static class SchedulerProbe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Fired = new();

    /// <summary>Waits until the scheduler has fired a probe at <paramref name="utc"/> (schedule it before the clock passes that time) and is idle.</summary>
    public static async Task CaughtUpAsync(IServiceProvider services, DateTime utc, TimeSpan timeout)
    {
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var fired = await ScheduleAsync(scheduler, utc);
        await fired.WaitAsync(timeout);
        await IdleAsync(scheduler, timeout);
    }

    /// <summary>Schedules a probe at <paramref name="utc"/>; the task completes when it fires.</summary>
    public static async Task<Task> ScheduleAsync(IScheduler scheduler, DateTime utc)
    {
        var name = "probe-" + Guid.NewGuid().ToString("N");
        var fired = Fired.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var job = JobBuilder.Create<ProbeJob>().WithIdentity(name, "test-probes").Build();
        var trigger = TriggerBuilder.Create(scheduler.TimeProvider ?? TimeProvider.System).WithIdentity(name, "test-probes")
            .StartAt(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)))
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
        await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions());
        return fired.Task;
    }

    /// <summary>Waits until no job (but a probe) is executing.</summary>
    public static async Task IdleAsync(IScheduler scheduler, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await scheduler.QueryFireInstances(new FireInstanceQuery())).Items.Any(f => f.JobKey?.Group != "test-probes"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"a job was still executing after {timeout}");
            }

            await Task.Delay(50);
        }
    }

    public sealed class ProbeJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            if (Fired.TryRemove(context.JobDetail.Key.Name, out var fired))
            {
                fired.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }
}
