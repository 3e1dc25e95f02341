using Quartz;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>
/// Fires every day at the digest time; sends only on working days by the admin-kept calendar (a make-up Saturday
/// sends, a holiday Monday does not). The day is today's, whenever the trigger was meant for: a digest fired late (a
/// misfire after days down, a run recovered after a crash) carries today's reminders, never a stale day's. A catch-up
/// fired before today's own digest time leaves the day to that run, so each day is composed once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DailyDigestJob(
    DigestComposer composer,
    WorkingDayCalendar calendar,
    OutboxDispatcher dispatcher,
    CrmDbContext db,
    TimeProvider time,
    ILogger<DailyDigestJob> logger,
    Shared.StorageState storage) : RecordedJob(db, time, logger, storage)
{
    protected override async Task<(JobOutcome Outcome, string Message)> RunAsync(IJobExecutionContext context, bool manual, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var date = ShanghaiTime.ToDate(now);
        var meantFor = ShanghaiTime.ToDate(context.ScheduledFireTimeUtc ?? now);
        if (!manual && meantFor < date && context.NextFireTimeUtc is { } next && ShanghaiTime.ToDate(next) == date)
        {
            return (JobOutcome.Skipped, Text.F("补发 {0:yyyy-MM-dd} 的摘要已跳过：今天 {1:yyyy-MM-dd} 的摘要将按时发送", meantFor, date));
        }

        if (!manual && !await calendar.IsWorkingDayAsync(date, ct))
        {
            return (JobOutcome.Skipped, Text.F("{0:yyyy-MM-dd} 非工作日，不发送", date));
        }

        var composed = await composer.ComposeAsync(date, ct);
        var sent = await dispatcher.DispatchDueAsync(ct);
        return (JobOutcome.Succeeded,
            $"{date:yyyy-MM-dd}: 新排队 {composed.Queued} 封，已在队列 {composed.AlreadyQueued}，无提醒 {composed.Nothing} 人，无邮箱或退订 {composed.NoEmail} 人，组稿 {composed.ElapsedMs} ms；" +
            $"发送 {sent.Sent}，失败 {sent.Failed}，推迟 {sent.Deferred}");
    }
}
