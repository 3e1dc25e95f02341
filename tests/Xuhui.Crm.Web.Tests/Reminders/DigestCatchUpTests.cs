using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>After days down, the one catch-up digest carries today's reminders, and each day is composed once.</summary>
[Collection(RemindersCollection.Name)]
public sealed class DigestCatchUpTests
{
    private static readonly Dictionary<string, string?> JobsOn = new() { ["Crm:Jobs:Enabled"] = "true" };
    private static readonly DateOnly Monday = new(2026, 3, 9);

    [Theory]
    [InlineData(3, 10, 0)] // down Monday to Thursday 10:00, past Thursday's digest time
    [InlineData(4, 23, 0)] // down until Friday late evening
    public async Task A_host_down_for_days_sends_one_digest_for_the_day_it_comes_back_not_the_oldest_missed_day(int daysLater, int hour, int minute)
    {
        var data = CrmFactory.NewDataDirectory();
        var back = Monday.AddDays(daysLater);
        await using (var first = CrmFactory.On(data, CrmFactory.ClockAt(2026, 3, 9, 7, 0), JobsOn))
        {
            await DeliveryTests.SeedOneOfficerWithATaskAsync(first);
            await SchedulerTests.WaitForTriggerAsync(first);
        }

        await using var second = CrmFactory.On(data, CrmFactory.ClockAt(back.Year, back.Month, back.Day, hour, minute), JobsOn);
        _ = second.Services;
        await SchedulerTests.WaitUntilAsync(async () => await second.JobRunsAsync(JobNames.DailyDigest) >= 1 && await SchedulerTests.FinishedAsync(second), TimeSpan.FromSeconds(30));
        var later = second.Clock.GetUtcNow().UtcDateTime.AddMinutes(25);
        await SchedulerTests.AdvanceToAsync(second, later);
        await SchedulerProbe.CaughtUpAsync(second.Services, later, TimeSpan.FromSeconds(30));

        var run = Assert.Single(await second.WithDbAsync(db => db.JobRuns.AsNoTracking().Where(r => r.JobName == JobNames.DailyDigest).ToListAsync()));
        Assert.Equal(JobOutcome.Succeeded, run.Outcome);
        Assert.Contains(back.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), run.Message, StringComparison.Ordinal);
        var message = Assert.Single(await second.WithDbAsync(db => db.Outbox.AsNoTracking().ToListAsync()));
        Assert.Equal(back, message.OccurredOn);
        Assert.Contains($"{back.Month}月{back.Day}日", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Back_before_the_digest_time_after_days_down_the_day_s_own_run_sends_its_digest_once()
    {
        var data = CrmFactory.NewDataDirectory();
        var thursday = Monday.AddDays(3);
        await using (var first = CrmFactory.On(data, CrmFactory.ClockAt(2026, 3, 9, 7, 0), JobsOn))
        {
            await DeliveryTests.SeedOneOfficerWithATaskAsync(first);
            await SchedulerTests.WaitForTriggerAsync(first);
        }

        await using var second = CrmFactory.On(data, CrmFactory.ClockAt(2026, 3, 12, 7, 0), JobsOn);
        _ = second.Services;
        await SchedulerTests.WaitUntilAsync(async () => await second.JobRunsAsync(JobNames.DailyDigest) >= 1 && await SchedulerTests.FinishedAsync(second), TimeSpan.FromSeconds(30));
        await SchedulerTests.AdvanceToAsync(second, ShanghaiTime.ToUtc(thursday, new TimeOnly(8, 31)));
        await SchedulerTests.WaitUntilAsync(async () => await second.JobRunsAsync(JobNames.DailyDigest) >= 2 && await SchedulerTests.FinishedAsync(second), TimeSpan.FromSeconds(30));
        await SchedulerTests.AdvanceToAsync(second, ShanghaiTime.ToUtc(thursday, new TimeOnly(12, 0)));
        await SchedulerProbe.CaughtUpAsync(second.Services, ShanghaiTime.ToUtc(thursday, new TimeOnly(12, 0)), TimeSpan.FromSeconds(30));

        var message = Assert.Single(await second.WithDbAsync(db => db.Outbox.AsNoTracking().ToListAsync()));
        Assert.Equal(thursday, message.OccurredOn);
        var runs = await second.WithDbAsync(db => db.JobRuns.AsNoTracking().Where(r => r.JobName == JobNames.DailyDigest).OrderBy(r => r.Id).ToListAsync());
        Assert.Equal(2, runs.Count);
        Assert.Equal(JobOutcome.Succeeded, runs[^1].Outcome);
        Assert.Equal(new TimeOnly(8, 30), TimeOnly.FromDateTime(ShanghaiTime.ToLocal(runs[^1].ScheduledFor)));
    }
}
