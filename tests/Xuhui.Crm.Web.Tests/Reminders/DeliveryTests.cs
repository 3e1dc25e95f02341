using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SmtpServer.Protocol;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

[Collection(RemindersCollection.Name)]
public sealed class DeliveryTests
{
    private static readonly DateOnly Monday = new(2026, 3, 9);

    [Fact]
    public async Task Digest_reaches_each_officer_once_over_real_smtp_with_chinese_intact_and_a_calendar_invite()
    {
        await using var smtp = new LoopbackSmtp();
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), smtp.Settings);
        var wang = await host.AddUserAsync("wang", "王晓明", Roles.Officer, "wang@xuhui.example");
        var li = await host.AddUserAsync("li", "李娜", Roles.Officer, "li@xuhui.example");
        var firm = await host.AddFirmAsync("上海漕河泾智能科技有限公司", wang.Id, Monday.AddDays(-10));
        var other = await host.AddFirmAsync("徐汇滨江生命健康研究院", li.Id, Monday.AddDays(-10));
        await host.AddTaskAsync(firm.Id, wang.Id, "跟进研发费用归集材料", Monday.AddDays(-3));
        await host.AddTaskAsync(other.Id, li.Id, "确认小巨人申报意向", Monday);
        var visit = await host.AddPlannedVisitAsync(firm.Id, wang.Id, Monday.AddDays(1), new TimeOnly(14, 0), "漕河泾开发区宜山路 1号");

        var (composed, sent) = await ComposeAndSendAsync(host, Monday);

        Assert.Equal(2, composed.Queued);
        Assert.Equal(2, sent.Sent);
        var received = smtp.Accepted.ToList();
        Assert.Equal(2, received.Count);
        Assert.Equal(["li@xuhui.example", "wang@xuhui.example"], received.SelectMany(r => r.Recipients).Order());

        var toWang = received.Single(r => r.Recipients.Contains("wang@xuhui.example")).Message;
        Assert.Contains("每日提醒", toWang.Subject, StringComparison.Ordinal);
        Assert.Contains("2026年3月9日", toWang.Subject, StringComparison.Ordinal);
        Assert.Contains("上海漕河泾智能科技有限公司", toWang.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("跟进研发费用归集材料", toWang.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("逾期 3 天", toWang.TextBody, StringComparison.Ordinal);
        Assert.Contains("王晓明", toWang.TextBody, StringComparison.Ordinal);
        var invite = Assert.Single(toWang.Attachments.OfType<MimePart>());
        Assert.Equal("text/calendar", invite.ContentType.MimeType);
        using var ics = new MemoryStream();
        await invite.Content!.DecodeToAsync(ics);
        var calendar = System.Text.Encoding.UTF8.GetString(ics.ToArray()).Replace("\r\n ", string.Empty, StringComparison.Ordinal);
        Assert.Contains($"UID:visit-{visit.Id}@xuhui-crm.local", calendar, StringComparison.Ordinal);
        Assert.Contains("DTSTART:20260310T060000Z", calendar, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:实地走访：上海漕河泾智能科技有限公司", calendar, StringComparison.Ordinal);

        var toLi = received.Single(r => r.Recipients.Contains("li@xuhui.example")).Message;
        Assert.Contains("确认小巨人申报意向", toLi.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("上海漕河泾智能科技有限公司", toLi.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(toLi.Attachments);

        // Composing and sending again sends nothing twice: the occurrence key holds.
        var (again, sentAgain) = await ComposeAndSendAsync(host, Monday);
        Assert.Equal(0, again.Queued);
        Assert.Equal(2, again.AlreadyQueued);
        Assert.Equal(0, sentAgain.Sent);
        Assert.Equal(2, smtp.Accepted.Count);
    }

    [Fact]
    public async Task A_451_for_a_while_is_retried_with_backoff_on_fresh_connections_until_delivered()
    {
        await using var smtp = new LoopbackSmtp { Reply = n => n <= 3 ? new SmtpResponse((SmtpReplyCode)451, "4.3.0 Try again later") : null };
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), smtp.Settings);
        await SeedOneOfficerWithATaskAsync(host);

        var (_, first) = await ComposeAndSendAsync(host, Monday);
        Assert.Equal(1, first.Deferred);
        var message = await host.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal(OutboxStatus.Pending, message.Status);
        Assert.Equal(1, message.Attempts);
        Assert.StartsWith("451", message.LastError, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), message.NextAttemptAt - message.LastAttemptAt);

        // Not due yet: nothing is sent before the backoff has passed.
        Assert.Equal(0, (await DispatchAsync(host)).Deferred);
        Assert.Equal(1, smtp.Attempts);

        host.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await DispatchAsync(host)).Deferred);
        host.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, (await DispatchAsync(host)).Deferred); // the second backoff is 60 s
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await DispatchAsync(host)).Deferred);
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await DispatchAsync(host)).Sent);

        message = await host.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal(OutboxStatus.Sent, message.Status);
        Assert.Equal(4, message.Attempts);
        Assert.Equal(4, smtp.Attempts);
        Assert.Single(smtp.Accepted);
    }

    [Fact]
    public async Task A_550_fails_the_message_at_once_is_never_retried_and_shows_in_the_outbox()
    {
        await using var smtp = new LoopbackSmtp { Reply = _ => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 Mailbox does not exist") };
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), smtp.Settings);
        await SeedOneOfficerWithATaskAsync(host);

        var (_, sent) = await ComposeAndSendAsync(host, Monday);
        Assert.Equal(1, sent.Failed);
        host.Clock.Advance(TimeSpan.FromDays(1));
        await DispatchAsync(host);
        Assert.Equal(1, smtp.Attempts);

        var admin = await host.AdminAsync();
        var page = await admin.GetFromJsonAsync<OutboxPageView>("/api/admin/outbox?status=failed");
        var failed = Assert.Single(page!.Items);
        Assert.Equal("failed", failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("550", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("Mailbox does not exist", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/outbox?status=lost")).StatusCode);

        // An admin can put it back once the address is fixed; a message that is not failed cannot be retried.
        smtp.Reply = _ => null;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/outbox/{failed.Id}/retry", null)).StatusCode);
        Assert.Equal(1, (await DispatchAsync(host)).Sent);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/admin/outbox/{failed.Id}/retry", null)).StatusCode);
        Assert.Single(smtp.Accepted);
    }

    [Fact]
    public async Task Server_unreachable_for_an_hour_then_back_delivers_everything()
    {
        var port = 0;
        await using (var probe = new LoopbackSmtp())
        {
            port = probe.Port;
        }

        var settings = new Dictionary<string, string?>
        {
            ["Crm:Smtp:Host"] = "127.0.0.1",
            ["Crm:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Crm:Smtp:Security"] = "None",
            ["Crm:Smtp:TimeoutSeconds"] = "5",
        };
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), settings);
        await SeedOneOfficerWithATaskAsync(host);
        var (_, first) = await ComposeAndSendAsync(host, Monday);
        Assert.Equal(1, first.Deferred);
        for (var minute = 0; minute < 60; minute++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await DispatchAsync(host);
        }

        var waiting = await host.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal(OutboxStatus.Pending, waiting.Status);
        Assert.InRange(waiting.Attempts, 5, 10); // backoff 30 s, 1, 2, 4, 8, 15, 15… minutes: not once a minute
        Assert.Contains("无法连接", waiting.LastError, StringComparison.Ordinal);

        await using var smtp = new LoopbackSmtp(port);
        host.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(1, (await DispatchAsync(host)).Sent);
        Assert.Single(smtp.Accepted);
    }

    [Fact]
    public async Task Without_an_smtp_host_messages_become_eml_files_once()
    {
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30));
        await SeedOneOfficerWithATaskAsync(host);
        var (_, sent) = await ComposeAndSendAsync(host, Monday);
        Assert.Equal(1, sent.Sent);
        await ComposeAndSendAsync(host, Monday);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(host.DataDirectory, "outbox"), "*.eml"));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Contains("每日提醒", message.Subject, StringComparison.Ordinal);
        Assert.Contains("张伟", message.TextBody, StringComparison.Ordinal);
    }

    internal static async Task SeedOneOfficerWithATaskAsync(CrmFactory host)
    {
        var zhang = await host.AddUserAsync("zhang", "张伟", Roles.Officer, "zhang@xuhui.example");
        var firm = await host.AddFirmAsync("上海徐汇集成电路设计有限公司", zhang.Id, Monday.AddDays(-10));
        await host.AddTaskAsync(firm.Id, zhang.Id, "补充知识产权清单", Monday);
    }

    internal static Task<(DigestResult Composed, DispatchResult Sent)> ComposeAndSendAsync(CrmFactory host, DateOnly date) =>
        host.WithScopeAsync(async sp =>
        {
            var composed = await sp.GetRequiredService<DigestComposer>().ComposeAsync(date, CancellationToken.None);
            var sent = await sp.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
            return (composed, sent);
        });

    internal static Task<DispatchResult> DispatchAsync(CrmFactory host) =>
        host.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);

    private sealed record OutboxItemView(long Id, string Recipient, string Status, int Attempts, string? LastError);

    private sealed record OutboxPageView(List<OutboxItemView> Items, int Total);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RemindersCollection
{
    public const string Name = "reminders";
}
