using Microsoft.EntityFrameworkCore;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>Jobs stay thin: the work is a feature service; this base records every execution and its result.</summary>
public abstract class RecordedJob(CrmDbContext db, TimeProvider clock, ILogger logger, Shared.StorageState? storage = null) : IJob
{
    private Shared.StorageState? Storage => storage;

    protected TimeProvider Clock { get; } = clock;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        Text.UseDefaultLanguage();
        var ct = cancellationToken;
        var now = Clock.GetUtcNow().UtcDateTime;
        var run = new JobRun
        {
            JobName = context.JobDetail.Key.Name,
            ScheduledFor = context.ScheduledFireTimeUtc?.UtcDateTime ?? now,
            StartedAt = now,
            Manual = IsManual(context),
            Outcome = JobOutcome.Running,
        };
        db.JobRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (Storage?.Observe(e, $"job {run.JobName}") == true)
        {
            // Not even the run row fits: readiness and the log carry it, and the admins' digest once space is back.
            throw new JobExecutionException($"storage full: {e.Message}", e);
        }

        db.ChangeTracker.Clear();

        var outcome = JobOutcome.Failed;
        string? message = null;
        try
        {
            (outcome, message) = await RunAsync(context, run.Manual, ct);
        }
        catch (OperationCanceledException e) when (ct.IsCancellationRequested)
        {
            // Stopped with the service (or by an admin's interrupt): the row says so instead of staying "running".
            outcome = JobOutcome.Interrupted;
            message = Text.T("服务停止，任务被中断");
            throw new JobExecutionException(message, e);
        }
        catch (Exception e)
        {
            message = Storage?.Observe(e, $"job {run.JobName}") == true
                ? Text.F("服务器存储空间已满：{0}", e.Message)
                : $"{e.GetType().Name}: {e.Message}";
            logger.LogError(e, "Job {Job} failed", run.JobName);
            throw new JobExecutionException(message, e);
        }
        finally
        {
            var finished = Clock.GetUtcNow().UtcDateTime;
            Shared.CrmMetrics.JobDuration.Record(
                (finished - now).TotalSeconds, new KeyValuePair<string, object?>("job", run.JobName), new KeyValuePair<string, object?>("outcome", outcome.ToString()));
            await db.JobRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Outcome, outcome).SetProperty(r => r.Message, message).SetProperty(r => r.FinishedAt, finished),
                CancellationToken.None);
            logger.LogInformation("Job {Job} {Outcome}: {Message}", run.JobName, outcome, message);
        }
    }

    protected abstract Task<(JobOutcome Outcome, string Message)> RunAsync(IJobExecutionContext context, bool manual, CancellationToken ct);

    private static bool IsManual(IJobExecutionContext context) =>
        context.MergedJobDataMap.TryGetValue(JobNames.ManualKey, out var value) && string.Equals(value?.ToString(), "true", StringComparison.OrdinalIgnoreCase);
}
