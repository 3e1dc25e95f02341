using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MiniExcelLibs;
using Quartz;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Tests.Reminders;

namespace Xuhui.Crm.Web.Tests.Targets;

/// <summary>The real scheduler, job, outbox and SMTP client against a loopback SMTP server.</summary>
public sealed class MonthlyEmailDeliveryTests(MonthlyEmailDeliveryTests.Host host) : IClassFixture<MonthlyEmailDeliveryTests.Host>
{
    public sealed class Host : OctoberHost
    {
        public LoopbackSmtp Smtp { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            [.. base.Settings(), .. Smtp.Settings, new("Crm:Jobs:Enabled", "true")];

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    /// <remarks>
    /// The host starts on 20 Oct and the fake clock then jumps to 2 Nov 09:00: both monthly triggers have passed, so the
    /// scheduler fires them (once each, as misfires) by itself; a manual run afterwards must not send again.
    /// </remarks>
    [Fact]
    public async Task The_monthly_report_job_delivers_one_email_per_leader_with_the_chart_inline_and_the_workbook_attached_once()
    {
        var admin = await host.AdminAsync();
        var scheduled = await FinishedRunsAsync(1);
        for (var i = 0; i < 100 && host.Smtp.Accepted.Count < 2; i++)
        {
            await Task.Delay(100);
        }

        var runs = await host.WithDbAsync((db, _) => db.JobRuns.AsNoTracking().Select(r => r.JobName + ": " + r.Outcome + " " + r.Message).ToListAsync());
        Assert.True(host.Smtp.Accepted.Count == 2, string.Join(Environment.NewLine, runs));
        var received = host.Smtp.Accepted.ToList();
        Assert.Equal(["deputy@xuhui.local", "leader@xuhui.local"], received.SelectMany(r => r.Recipients).Order(StringComparer.Ordinal));
        foreach (var (_, message) in received)
        {
            Assert.Equal("徐汇区科技企业培育月报（2026年10月）", message.Subject);
            var png = message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/png");
            Assert.Contains($"cid:{png.ContentId}", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("上海乙烯新材料有限公司", message.HtmlBody, StringComparison.Ordinal);
            using var image = new MemoryStream();
            await png.Content!.DecodeToAsync(image);
            Assert.Equal(0x89, image.ToArray()[0]);

            var xlsx = Assert.Single(message.Attachments.OfType<MimePart>());
            Assert.Equal("徐汇区科技企业培育月报-2026-10.xlsx", xlsx.FileName);
            using var book = new MemoryStream();
            await xlsx.Content!.DecodeToAsync(book);
            book.Position = 0;
            Assert.Contains(ReportWorkbook.IndicatorSheet, book.GetSheetNames());
        }

        var messages = await host.WithDbAsync((db, _) => db.JobRuns.AsNoTracking().Where(r => r.JobName == JobNames.MonthlyReport).Select(r => r.Message).ToListAsync());
        Assert.Contains(messages, m => m != null && m.Contains("2026-10 月报已排队 2 封", StringComparison.Ordinal));

        // October was frozen once, by whichever monthly job ran first.
        Assert.Equal(1, await host.WithDbAsync((db, _) => db.MonthlySnapshots.CountAsync(s => s.Month == "2026-10")));

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/admin/jobs/{JobNames.MonthlyReport}/run", null)).StatusCode);
        await FinishedRunsAsync(scheduled + 1);
        Assert.Equal(2, host.Smtp.Accepted.Count);
    }

    [Fact]
    public async Task Both_monthly_jobs_are_scheduled_on_the_first_in_shanghai_time()
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        foreach (var (job, cron) in new[] { (JobNames.MonthEndSnapshot, "0 5 0 1 * ?"), (JobNames.MonthlyReport, "0 0 9 1 * ?") })
        {
            ITrigger? trigger = null;
            for (var i = 0; i < 100 && trigger is null; i++)
            {
                trigger = await scheduler.GetTrigger(ReportSchedule.TriggerKey(JobsSetup.Key(job)));
                if (trigger is null)
                {
                    await Task.Delay(100);
                }
            }

            var cronTrigger = Assert.IsAssignableFrom<ICronTrigger>(trigger);
            Assert.Equal((cron, "Asia/Shanghai"), (cronTrigger.CronExpressionString, cronTrigger.TimeZone.Id));
        }
    }

    /// <summary>Waits for at least <paramref name="count"/> finished runs with none running; returns how many finished.</summary>
    private async Task<int> FinishedRunsAsync(int count)
    {
        for (var i = 0; i < 300; i++)
        {
            var runs = await host.WithDbAsync((db, _) => db.JobRuns.AsNoTracking().Where(r => r.JobName == JobNames.MonthlyReport).Select(r => r.FinishedAt).ToListAsync());
            if (runs.Count(f => f != null) >= count && runs.All(f => f != null))
            {
                return runs.Count;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"monthly-report did not finish {count} run(s)");
    }
}
