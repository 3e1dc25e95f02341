using Quartz;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// When the two monthly jobs fire and what they do. The Quartz job classes themselves are the reminders branch's
/// slots (Jobs/MonthEndSnapshotJob, Jobs/MonthlyReportJob, recorded in JobRuns); each body is one call here.
/// </summary>
public static class ReportSchedule
{
    public const string MonthEndSnapshot = "month-end-snapshot";
    public const string MonthlyReport = "monthly-report";

    /// <summary>Five minutes past midnight on the 1st, Asia/Shanghai: the month just closed is frozen.</summary>
    public const string MonthEndSnapshotCron = "0 5 0 1 * ?";

    /// <summary>09:00 on the 1st, Asia/Shanghai: the report goes to the leadership list.</summary>
    public const string MonthlyReportCron = "0 0 9 1 * ?";

    /// <summary>The month a run on <paramref name="clock"/>'s today reports: the one just closed.</summary>
    public static ReportMonth MonthToReport(TimeProvider clock) => ReportMonth.FromDate(ShanghaiTime.Today(clock)).Previous;

    /// <summary>Body of the month-end-snapshot job: freezes the month just closed unless it already is.</summary>
    public static async Task<string> RunMonthEndSnapshotAsync(MonthlySnapshots snapshots, TimeProvider clock, CancellationToken ct)
    {
        var month = MonthToReport(clock);
        var taken = await snapshots.TakeIfMissingAsync(month, ct);
        return taken is null ? $"{month} 已有快照，未重复生成" : $"{month} 快照第 {taken.Revision} 版已生成";
    }

    /// <summary>Body of the monthly-report job: composes and queues the email for the month just closed.</summary>
    public static async Task<string> RunMonthlyReportAsync(MonthlyReportEmail email, TimeProvider clock, CancellationToken ct)
    {
        var month = MonthToReport(clock);
        var queued = await email.QueueAsync(month, ct);
        return $"{month} 月报已排队 {queued} 封";
    }

    /// <summary>Cron trigger in Shanghai time; a missed fire (host down) runs once on recovery.</summary>
    public static ITrigger Trigger(JobKey job, string cron) => TriggerBuilder.Create()
        .WithIdentity($"{job.Name}-monthly", job.Group)
        .ForJob(job)
        .WithCronSchedule(cron, b => b.InTimeZone(ShanghaiTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
        .Build();
}
