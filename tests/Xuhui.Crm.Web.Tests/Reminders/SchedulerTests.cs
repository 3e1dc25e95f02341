using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>Quartz on its SQLite store, driven by the fake clock it takes from the container.</summary>
[Collection(RemindersCollection.Name)]
public sealed class SchedulerTests
{
    private static readonly Dictionary<string, string?> JobsOn = new() { ["Crm:Jobs:Enabled"] = "true" };

    [Fact]
    public async Task A_host_down_at_the_digest_time_runs_that_day_s_digest_exactly_once_when_back()
    {
        var data = CrmFactory.NewDataDirectory();
        var monday = new DateOnly(2026, 3, 9);

        await using (var first = CrmFactory.On(data, CrmFactory.ClockAt(2026, 3, 9, 7, 0), JobsOn))
        {
            await DeliveryTests.SeedOneOfficerWithATaskAsync(first);
            await WaitForTriggerAsync(first);
            await AdvanceToAsync(first, ShanghaiTime.ToUtc(monday, new TimeOnly(8, 0)));
            await SchedulerProbe.CaughtUpAsync(first.Services, ShanghaiTime.ToUtc(monday, new TimeOnly(8, 0)), TimeSpan.FromSeconds(30));
            Assert.Equal(0, await first.JobRunsAsync(JobNames.DailyDigest));
        }

        await using var second = CrmFactory.On(data, CrmFactory.ClockAt(2026, 3, 9, 10, 0), JobsOn);
        _ = second.Services; // starts the host: Quartz recovers the misfired 08:30 trigger
        await WaitUntilAsync(async () => await second.JobRunsAsync(JobNames.DailyDigest) >= 1, TimeSpan.FromSeconds(30));

        // Move the clock on and let the scheduler catch up with it before counting.
        var later = second.Clock.GetUtcNow().UtcDateTime.AddMinutes(50);
        await AdvanceToAsync(second, later);
        await SchedulerProbe.CaughtUpAsync(second.Services, later, TimeSpan.FromSeconds(30));

        var runs = await second.WithDbAsync(db => db.JobRuns.AsNoTracking().Where(r => r.JobName == JobNames.DailyDigest).ToListAsync());
        var run = Assert.Single(runs);
        Assert.Equal(JobOutcome.Succeeded, run.Outcome);
        Assert.Equal(monday, ShanghaiTime.ToDate(run.ScheduledFor));
        Assert.Equal(1, await second.WithDbAsync(db => db.Outbox.CountAsync()));

        // The next fire time is tomorrow's 08:30, not another catch-up.
        var trigger = await (await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).GetTrigger(JobsSetup.DailyTrigger(JobNames.DailyDigest));
        Assert.Equal(ShanghaiTime.ToUtc(monday.AddDays(1), new TimeOnly(8, 30)), trigger!.NextFireTimeUtc!.Value.UtcDateTime);
    }

    [Fact]
    public async Task The_digest_fires_daily_and_sends_on_a_make_up_saturday_but_not_on_a_holiday_monday()
    {
        var data = CrmFactory.NewDataDirectory();
        await using var host = CrmFactory.On(data, CrmFactory.ClockAt(2026, 2, 13, 8, 0), JobsOn);
        var officer = await host.AddUserAsync("wu", "吴敏", Domain.Users.Roles.Officer, "wu@xuhui.example");
        var firm = await host.AddFirmAsync("上海华泾新材料有限公司", officer.Id, new DateOnly(2026, 2, 1));
        await host.AddTaskAsync(firm.Id, officer.Id, "节前确认申报材料", new DateOnly(2026, 2, 13));
        await WaitForTriggerAsync(host);

        // Fri 13 Feb (working), Sat 14 Feb (make-up working day), Sun 15 and Mon 16 Feb (Spring Festival).
        for (var day = 0; day < 4; day++)
        {
            var date = new DateOnly(2026, 2, 13).AddDays(day);
            await AdvanceToAsync(host, ShanghaiTime.ToUtc(date, new TimeOnly(8, 31)));
            await WaitUntilAsync(async () => await host.JobRunsAsync(JobNames.DailyDigest) >= day + 1 && await FinishedAsync(host), TimeSpan.FromSeconds(30));
        }

        var outcomes = await host.WithDbAsync(db => db.JobRuns.AsNoTracking().Where(r => r.JobName == JobNames.DailyDigest).OrderBy(r => r.Id).ToListAsync());
        Assert.Equal(
            [("2026-02-13", JobOutcome.Succeeded), ("2026-02-14", JobOutcome.Succeeded), ("2026-02-15", JobOutcome.Skipped), ("2026-02-16", JobOutcome.Skipped)],
            outcomes.Select(r => (ShanghaiTime.ToDate(r.ScheduledFor).ToString("yyyy-MM-dd"), r.Outcome)));
        var sentFor = await host.WithDbAsync(db => db.Outbox.AsNoTracking().Select(m => m.OccurredOn).OrderBy(d => d).ToListAsync());
        Assert.Equal([new DateOnly(2026, 2, 13), new DateOnly(2026, 2, 14)], sentFor);
    }

    [Fact]
    public async Task The_admin_jobs_api_lists_every_job_and_runs_one_now()
    {
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 2, 16, 9, 0), JobsOn);
        await DeliveryTests.SeedOneOfficerWithATaskAsync(host);
        await WaitForTriggerAsync(host);
        var admin = await host.AdminAsync();

        var jobs = await admin.GetFromJsonAsync<List<JobView>>("/api/admin/jobs");
        Assert.Equal(JobNames.All, jobs!.Select(j => j.Name));
        var digest = jobs![0];
        Assert.Equal("0 30 8 * * ?", Assert.Single(digest.Triggers).Cron);
        Assert.Equal("Asia/Shanghai", digest.Triggers[0].TimeZone);
        Assert.Equal(ShanghaiTime.ToUtc(new DateOnly(2026, 2, 17), new TimeOnly(8, 30)), digest.NextFireTime!.Value.UtcDateTime);

        // A manual run sends even on a holiday (16 Feb) — the admin asked for it.
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/admin/jobs/daily-digest/run", null)).StatusCode);
        await WaitUntilAsync(async () => await FinishedAsync(host) && await host.JobRunsAsync(JobNames.DailyDigest) == 1, TimeSpan.FromSeconds(30));
        jobs = await admin.GetFromJsonAsync<List<JobView>>("/api/admin/jobs");
        Assert.Equal("succeeded", jobs![0].LastRun!.Outcome);
        Assert.True(jobs[0].LastRun!.Manual);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/admin/jobs/nope/run", null)).StatusCode);
    }

    internal static Task<bool> FinishedAsync(CrmFactory host) =>
        host.WithDbAsync(db => db.JobRuns.AllAsync(r => r.Outcome != JobOutcome.Running));

    internal static Task WaitForTriggerAsync(CrmFactory host) => WaitUntilAsync(async () =>
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return scheduler.Status == SchedulerStatus.Running && await scheduler.GetTrigger(JobsSetup.DailyTrigger(JobNames.DailyDigest)) is not null;
    }, TimeSpan.FromSeconds(30));

    /// <summary>Moves the fake clock in steps, giving the scheduler thread real time to notice each one.</summary>
    internal static async Task AdvanceToAsync(CrmFactory host, DateTime utc)
    {
        while (host.Clock.GetUtcNow().UtcDateTime < utc)
        {
            var step = utc - host.Clock.GetUtcNow().UtcDateTime;
            host.Clock.Advance(step > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : step);
            await Task.Delay(100);
        }
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"condition not met within {timeout}");
            }

            await Task.Delay(100);
        }
    }

    private sealed record TriggerView(string Name, string? Cron, string? TimeZone, DateTimeOffset? NextFireTime);

    private sealed record RunView(string Outcome, bool Manual, string? Message);

    private sealed record JobView(string Name, DateTimeOffset? NextFireTime, RunView? LastRun, List<TriggerView> Triggers);
}
