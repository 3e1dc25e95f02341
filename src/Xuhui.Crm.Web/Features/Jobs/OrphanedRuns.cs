using Microsoft.EntityFrameworkCore;
using Npgsql;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>
/// Another feature's runs that a dead process leaves "running" (an import, say): on SQLite, where one process owns the
/// file, every such row is closed at start, with the job runs.
/// </summary>
public interface IOrphanedRunCloser
{
    /// <summary>Closes the runs still marked running; returns how many.</summary>
    Task<int> CloseAsync(CrmDbContext db, DateTime now, CancellationToken ct);
}

/// <summary>
/// Closes job runs (and the runs of <see cref="IOrphanedRunCloser"/>s) left "running" by a process that died, so the admin sees "interrupted" instead of a run
/// that never ends. On SQLite one process owns the file, so at start every "running" row is a dead process's. On
/// PostgreSQL several instances share the rows: a job run is a dead instance's when no instance of the cluster is
/// executing that job any more (Quartz removes a dead instance's executing records when another takes over), checked
/// at start and then every minute.
/// </summary>
public sealed class OrphanedRuns(
    IServiceScopeFactory scopes, DataPaths paths, ISchedulerFactory schedulers, IEnumerable<IOrphanedRunCloser> closers, TimeProvider clock, ILogger<OrphanedRuns> logger)
    : BackgroundService
{
    public static string JobMessage => Text.T("进程中断（崩溃或被强制结束），本次运行未完成；任务会在恢复后重新运行");

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the scheduler starts: its recovered runs must not be taken for orphans.
        await SweepAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (paths.IsSqlite)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or DbUpdateException or InvalidOperationException)
            {
                logger.LogWarning(e, "Closing orphaned runs failed; trying again in a minute");
            }
        }
    }

    public async Task<(int Jobs, int Others)> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        int jobs, others = 0;
        if (paths.IsSqlite)
        {
            jobs = await CloseJobsAsync(db.JobRuns.Where(r => r.Outcome == JobOutcome.Running), now, ct);
            foreach (var closer in closers)
            {
                others += await closer.CloseAsync(db, now, ct);
            }
        }
        else
        {
            // The rows first, then what the cluster executes: a run that starts after the first read is not in it,
            // and a live run's executing record exists for as long as its row says "running".
            var running = await db.JobRuns.Where(r => r.Outcome == JobOutcome.Running).Select(r => new { r.Id, r.JobName }).ToListAsync(ct);
            if (running.Count == 0)
            {
                return (0, 0);
            }

            var executing = await ExecutingJobsAsync(db, ct);
            if (executing is null)
            {
                return (0, 0);
            }

            var dead = running.Where(r => !executing.Contains(r.JobName)).Select(r => r.Id).ToList();
            jobs = dead.Count == 0 ? 0 : await CloseJobsAsync(db.JobRuns.Where(r => dead.Contains(r.Id) && r.Outcome == JobOutcome.Running), now, ct);
        }

        if (jobs + others > 0)
        {
            logger.LogWarning("Closed {Jobs} job run(s) and {Others} other run(s) left running by a process that died", jobs, others);
        }

        return (jobs, others);
    }

    private static Task<int> CloseJobsAsync(IQueryable<JobRun> runs, DateTime now, CancellationToken ct) => runs.ExecuteUpdateAsync(
        s => s.SetProperty(r => r.Outcome, JobOutcome.Interrupted).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Message, JobMessage), ct);

    /// <summary>The jobs some live instance of this cluster is executing; null when the scheduler's tables are not there yet.</summary>
    private async Task<HashSet<string>?> ExecutingJobsAsync(CrmDbContext db, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        try
        {
            var names = await db.Database.SqlQueryRaw<string>(
                    "SELECT job_name AS \"Value\" FROM qrtz_fired_triggers WHERE sched_name = {0} AND state = 'EXECUTING'", scheduler.SchedulerName)
                .ToListAsync(ct);
            return names.ToHashSet(StringComparer.Ordinal);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }
}
