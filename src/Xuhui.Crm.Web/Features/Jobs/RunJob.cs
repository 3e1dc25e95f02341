using Quartz;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>Runs a job now (a manual run of the digest sends even on a non-working day); the result appears in the list.</summary>
public static class RunJob
{
    public static string NotFound(string name) => Text.F("任务 {0} 不存在", name);

    public static async Task<Outcome<JobRunAccepted>> HandleAsync(string name, ISchedulerFactory factory, CrmJobs registered, CancellationToken ct)
    {
        if (!registered.Contains(name))
        {
            return Outcome.NotFound(NotFound(name));
        }

        var scheduler = await factory.GetScheduler(ct);
        if (scheduler.Status != SchedulerStatus.Running)
        {
            return Outcome.Conflict(Text.T("调度器未运行（Crm:Jobs:Enabled 已关闭）"));
        }

        await scheduler.TriggerJob(JobsSetup.Key(name), new JobDataMap { [JobNames.ManualKey] = "true" }, ct);
        return Outcome.Ok(new JobRunAccepted(name, Text.T("已触发")));
    }
}
