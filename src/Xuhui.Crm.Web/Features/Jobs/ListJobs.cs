using Microsoft.EntityFrameworkCore;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>The registered jobs with their triggers and last run, and one job's run history: for the API and the page.</summary>
public static class ListJobs
{
    public static async Task<List<JobDto>> HandleAsync(ISchedulerFactory factory, CrmJobs registered, CrmDbContext db, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var running = (await scheduler.QueryFireInstances(new FireInstanceQuery(), ct)).Items.Select(f => f.JobKey?.Name).ToHashSet();
        var jobs = new List<JobDto>();
        foreach (var name in registered.All.Select(j => j.Name))
        {
            var key = JobsSetup.Key(name);
            var detail = await scheduler.GetJobDetail(key, ct);
            var triggers = new List<TriggerDto>();
            foreach (var t in await scheduler.GetTriggersOfJob(key, ct))
            {
                var state = await scheduler.GetTriggerState(t.Key, ct);
                triggers.Add(new TriggerDto(t.Key.Name, (t as ICronTrigger)?.CronExpressionString, (t as ICronTrigger)?.TimeZone.Id, state.ToString(), t.NextFireTimeUtc, t.PreviousFireTimeUtc));
            }

            var last = await db.JobRuns.AsNoTracking().Where(r => r.JobName == name).OrderByDescending(r => r.Id)
                .Select(r => new JobRunDto(r.Id, r.ScheduledFor, r.StartedAt, r.FinishedAt, r.Manual, r.Outcome, r.Message)).FirstOrDefaultAsync(ct);
            jobs.Add(new JobDto(
                // The stored description is a catalogue key: the reader gets it in their language.
                name, detail?.Description is { } description ? Text.T(description) : null, running.Contains(name),
                triggers.Select(t => t.NextFireTime).Where(t => t is not null).Min(),
                triggers.Select(t => t.PreviousFireTime).Where(t => t is not null).Max(),
                last, triggers));
        }

        return jobs;
    }

    public static async Task<Outcome<List<JobRunDto>>> RunsAsync(string name, int? take, CrmJobs registered, CrmDbContext db, CancellationToken ct)
    {
        if (!registered.Contains(name))
        {
            return Outcome.NotFound(RunJob.NotFound(name));
        }

        var runs = await db.JobRuns.AsNoTracking().Where(r => r.JobName == name).OrderByDescending(r => r.Id).Take(Math.Clamp(take ?? 20, 1, 200))
            .Select(r => new JobRunDto(r.Id, r.ScheduledFor, r.StartedAt, r.FinishedAt, r.Manual, r.Outcome, r.Message)).ToListAsync(ct);
        return Outcome.Ok(runs);
    }
}
