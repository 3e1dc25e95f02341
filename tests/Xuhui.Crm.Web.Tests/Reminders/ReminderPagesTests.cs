using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SmtpServer.Protocol;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>The reminders on "My day", their links, and the admin jobs and outbox pages, through cookie sign-in and antiforgery.</summary>
[Collection(RemindersCollection.Name)]
public sealed partial class ReminderPagesTests
{
    private static readonly DateOnly Monday = new(2026, 3, 9);

    [Fact]
    public async Task My_day_lists_the_api_reminders_with_stage_names_every_link_opens_a_page_and_dismiss_and_snooze_work_in_place()
    {
        await using var smtp = new LoopbackSmtp();
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 9, 0), smtp.Settings);
        var zhou = await host.AddUserAsync("zhou", "周敏", Roles.Officer, "zhou@xuhui.example");
        var wu = await host.AddUserAsync("wu", "吴磊", Roles.Officer, "wu@xuhui.example");
        var firm = await host.AddFirmAsync("上海徐汇量子传感科技有限公司", zhou.Id, Monday.AddDays(-400), Monday.AddDays(-200));
        var task = await host.AddTaskAsync(firm.Id, zhou.Id, "核对研发投入占比", Monday.AddDays(-4));
        await host.AddPlannedVisitAsync(firm.Id, zhou.Id, Monday.AddDays(2), new TimeOnly(10, 0), "宜山路 700 号");
        await host.WithDbAsync(async db =>
        {
            db.Cases.Add(new Case { FirmId = firm.Id, Program = "hnte", Stage = "nurturing", IsOpen = true, StageSince = Monday.AddDays(-300), OpenedOn = Monday.AddDays(-300), OwnerId = zhou.Id });
            await db.SaveChangesAsync();
        });
        // A colleague logs a visit to Zhou's firm: "others visited".
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.AddPlannedVisitAsync(firm.Id, wu.Id, Monday.AddDays(5), new TimeOnly(15, 0), "徐汇区政府");

        var api = await host.LoginAsync("zhou", "Passw0rd-zhou");
        var items = (await api.GetFromJsonAsync<ReminderList>("/api/reminders"))!.Items;
        Assert.Contains(items, i => i.Kind == ReminderKinds.TaskOverdue);
        Assert.Contains(items, i => i.Kind == ReminderKinds.VisitCadence);
        Assert.Contains(items, i => i.Kind == ReminderKinds.UpcomingVisit);
        Assert.Contains(items, i => i.Kind == ReminderKinds.OthersVisited);
        var stalled = Assert.Single(items, i => i.Kind == ReminderKinds.CaseStalled);
        Assert.Contains("「培育」", stalled.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("nurturing", stalled.Detail, StringComparison.Ordinal);

        var web = await SignInAsync(host, "zhou", "Passw0rd-zhou");
        var home = await web.GetStringAsync("/");
        foreach (var item in items)
        {
            Assert.Contains(WebUtility.HtmlEncode(item.Key), home, StringComparison.Ordinal);
            await AssertOpensAsync(web, item.Link);
        }

        // The digest's links (items, "more", settings, calendar URL) all open pages too.
        var composed = await host.WithScopeAsync(sp => sp.GetRequiredService<DigestComposer>().ComposeAsync(Monday, CancellationToken.None));
        Assert.True(composed.Queued >= 1);
        var mime = await host.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Recipient == "zhou@xuhui.example").Select(m => m.Mime).SingleAsync());
        var digest = await MimeMessage.LoadAsync(new MemoryStream(mime));
        var links = Href().Matches(digest.HtmlBody!).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Contains(links, l => l.EndsWith("/settings/reminders", StringComparison.Ordinal));
        Assert.Contains(links, l => l.Contains($"#task-{task.Id}", StringComparison.Ordinal));
        foreach (var link in links)
        {
            Assert.StartsWith("http://localhost:5080/", link, StringComparison.Ordinal);
            await AssertOpensAsync(web, link["http://localhost:5080".Length..]);
        }

        // Dismiss in place (the JSON answer site.js reads), then it is gone from the API list too.
        var overdue = items.Single(i => i.Kind == ReminderKinds.TaskOverdue);
        var token = Token(home);
        var dismissed = await PostAsync(web, "/?handler=Dismiss", token, new() { ["key"] = overdue.Key, ["title"] = overdue.Title });
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Contains("\"ok\":true", await dismissed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Snooze for a week: hidden until then, back on the day.
        var cadence = items.Single(i => i.Kind == ReminderKinds.VisitCadence);
        var snoozed = await PostAsync(web, "/?handler=Snooze", token, new() { ["key"] = cadence.Key, ["title"] = cadence.Title, ["days"] = "7" });
        Assert.Equal(HttpStatusCode.OK, snoozed.StatusCode);
        var after = (await api.GetFromJsonAsync<ReminderList>("/api/reminders"))!.Items;
        Assert.DoesNotContain(after, i => i.Key == overdue.Key);
        Assert.DoesNotContain(after, i => i.Key == cadence.Key);
        Assert.DoesNotContain(WebUtility.HtmlEncode(overdue.Key), await web.GetStringAsync("/"), StringComparison.Ordinal);

        // The same rules as the API: a bad snooze is refused with its message.
        var refused = await PostAsync(web, "/?handler=Snooze", token, new() { ["key"] = stalled.Key, ["title"] = stalled.Title, ["days"] = "0" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // Without the antiforgery token the post is refused.
        using var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = stalled.Key });
        Assert.Equal(HttpStatusCode.BadRequest, (await web.PostAsync("/?handler=Dismiss", forged)).StatusCode);

        host.Clock.Advance(TimeSpan.FromDays(7));
        var back = (await (await host.LoginAsync("zhou", "Passw0rd-zhou")).GetFromJsonAsync<ReminderList>("/api/reminders"))!.Items;
        Assert.Contains(back, i => i.Kind == ReminderKinds.VisitCadence && i.FirmId == firm.Id);
        Assert.DoesNotContain(back, i => i.Key == overdue.Key);

        // One kind only: where the digest's "more" link lands (a week on, the sign-in has lapsed on the fake clock).
        web = await SignInAsync(host, "zhou", "Passw0rd-zhou");
        var onlyStalled = await web.GetStringAsync($"/?kind={ReminderKinds.CaseStalled}");
        Assert.Contains(WebUtility.HtmlEncode(stalled.Key), onlyStalled, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-reminder=\"{ReminderKinds.UpcomingVisit}:", onlyStalled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_pages_list_jobs_and_the_outbox_by_status_and_retry_a_failed_message()
    {
        await using var smtp = new LoopbackSmtp { Reply = _ => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 Mailbox does not exist") };
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), smtp.Settings);
        await DeliveryTests.SeedOneOfficerWithATaskAsync(host);
        var (_, sent) = await DeliveryTests.ComposeAndSendAsync(host, Monday);
        Assert.Equal(1, sent.Failed);
        var id = await host.WithDbAsync(db => db.Outbox.Select(m => m.Id).SingleAsync());

        var admin = await SignInAsync(host, "admin", CrmFactory.SharedAdminPassword);
        var jobs = await admin.GetStringAsync("/admin/jobs");
        Assert.Contains("data-job=\"daily-digest\"", jobs, StringComparison.Ordinal);
        Assert.Contains("data-job=\"monthly-report\"", jobs, StringComparison.Ordinal);
        Assert.Contains("调度器未运行", jobs, StringComparison.Ordinal); // this host runs without the scheduler
        var run = await PostAsync(admin, "/admin/jobs?handler=Run", Token(jobs), new() { ["name"] = "daily-digest" }, json: false);
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);

        var failed = await admin.GetStringAsync("/admin/outbox?status=failed");
        Assert.Contains($"data-outbox=\"{id}\"", failed, StringComparison.Ordinal);
        Assert.Contains("Mailbox does not exist", failed, StringComparison.Ordinal);
        Assert.DoesNotContain("data-outbox=", await admin.GetStringAsync("/admin/outbox?status=sent"), StringComparison.Ordinal);
        var eml = await admin.GetAsync($"/admin/outbox?handler=Eml&id={id}");
        Assert.Equal("message/rfc822", eml.Content.Headers.ContentType?.MediaType);
        Assert.Contains("每日提醒", (await MimeMessage.LoadAsync(await eml.Content.ReadAsStreamAsync())).Subject, StringComparison.Ordinal);

        smtp.Reply = _ => null;
        var retry = await PostAsync(admin, "/admin/outbox?handler=Retry&status=failed", Token(failed), new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, json: false);
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal(OutboxStatus.Pending, await host.WithDbAsync(db => db.Outbox.Select(m => m.Status).SingleAsync()));
        Assert.Equal(1, (await DeliveryTests.DispatchAsync(host)).Sent);
        Assert.Contains($"data-outbox=\"{id}\"", await admin.GetStringAsync("/admin/outbox?status=sent"), StringComparison.Ordinal);

        // Officers are kept out of the admin pages.
        var officer = await SignInAsync(host, "zhang", "Passw0rd-zhang");
        var refused = await officer.GetAsync("/admin/outbox");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    /// <summary>The path opens a page (200); a fragment names an element on it.</summary>
    [Fact]
    public async Task My_day_renders_twenty_reminders_of_a_kind_counts_the_rest_and_shows_them_on_the_kind_page()
    {
        await using var smtp = new LoopbackSmtp();
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 9, 0), smtp.Settings);
        var sun = await host.AddUserAsync("sun", "孙悦", Roles.Officer, "sun@xuhui.example");
        var firm = await host.AddFirmAsync("上海徐汇繁忙测试科技有限公司", sun.Id, Monday.AddDays(-400), Monday.AddDays(-10));
        for (var i = 1; i <= 25; i++)
        {
            await host.AddTaskAsync(firm.Id, sun.Id, $"逾期事项{i:D2}", Monday.AddDays(-i));
        }

        var web = await SignInAsync(host, "sun", "Passw0rd-sun");
        var home = await web.GetStringAsync("/");
        var shown = Regex.Count(home, "data-reminder=\"task-overdue:");
        Assert.Equal(Web.Features.Workbench.Pages.IndexModel.RemindersPerKind, shown);
        Assert.Contains($"还有 {25 - Web.Features.Workbench.Pages.IndexModel.RemindersPerKind} 条：逾期待办", home, StringComparison.Ordinal);
        var kindPage = await web.GetStringAsync("/?kind=task-overdue");
        Assert.Equal(25, Regex.Count(kindPage, "data-reminder=\"task-overdue:"));
        Assert.DoesNotContain("data-more=", kindPage, StringComparison.Ordinal);
    }

    private static async Task AssertOpensAsync(HttpClient web, string link)
    {
        var hash = link.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? link : link[..hash];
        var response = await web.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link}: {(int)response.StatusCode}");
        if (hash >= 0)
        {
            Assert.Contains($"id=\"{link[(hash + 1)..]}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task<HttpClient> SignInAsync(CrmFactory host, string userName, string password)
    {
        var web = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await web.GetStringAsync("/login");
        var response = await PostAsync(web, "/login", Token(login), new() { ["UserName"] = userName, ["Password"] = password }, json: false);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return web;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient web, string url, string token, Dictionary<string, string> form, bool json = true)
    {
        form["__RequestVerificationToken"] = token;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (json)
        {
            request.Headers.Accept.ParseAdd("application/json");
        }

        return await web.SendAsync(request);
    }

    private static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on the page");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
