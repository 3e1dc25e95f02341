using Quartz;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Outbox;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// On the 1st at 09:00 (Asia/Shanghai): freezes last month if the month-end job has not, queues the monthly report to
/// the leadership list (chart inline, workbook attached) and sends what is due.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MonthlyReportJob(
    MonthlyReportEmail email, OutboxDispatcher dispatcher, CrmDbContext db, TimeProvider clock, ILogger<MonthlyReportJob> logger, Shared.StorageState storage, DistrictRuns? districts = null)
    : RecordedJob(db, clock, logger, storage)
{
    protected override async Task<(JobOutcome Outcome, string Message)> RunAsync(IJobExecutionContext context, bool manual, CancellationToken ct)
    {
        var queued = await ReportSchedule.RunMonthlyReportAsync(email, ShanghaiTime.ToDate(context.ScheduledFireTimeUtc ?? Clock.GetUtcNow()), ct, districts);
        var sent = await dispatcher.DispatchDueAsync(ct);
        return (JobOutcome.Succeeded, $"{queued}；发送 {sent.Sent}，失败 {sent.Failed}，推迟 {sent.Deferred}");
    }
}

/// <summary>Just after midnight on the 1st (Asia/Shanghai): freezes the month just closed, once.</summary>
[DisallowConcurrentExecution]
public sealed class MonthEndSnapshotJob(
    MonthlySnapshots snapshots, CrmDbContext db, TimeProvider clock, ILogger<MonthEndSnapshotJob> logger, Shared.StorageState storage, DistrictRuns? districts = null)
    : RecordedJob(db, clock, logger, storage)
{
    protected override async Task<(JobOutcome Outcome, string Message)> RunAsync(IJobExecutionContext context, bool manual, CancellationToken ct) =>
        (JobOutcome.Succeeded, await ReportSchedule.RunMonthEndSnapshotAsync(snapshots, ShanghaiTime.ToDate(context.ScheduledFireTimeUtc ?? Clock.GetUtcNow()), ct, districts));
}
