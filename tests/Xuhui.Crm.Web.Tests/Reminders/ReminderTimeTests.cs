using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

[Collection(RemindersCollection.Name)]
public sealed class ReminderTimeTests
{
    [Fact]
    public async Task A_task_appears_when_due_ages_into_overdue_and_after_seven_days_reaches_the_supervisor()
    {
        var monday = new DateOnly(2026, 3, 9);
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 9, 0));
        var chief = await host.AddUserAsync("chief", "赵科长", Roles.Supervisor, "chief@xuhui.example");
        var officer = await host.AddUserAsync("qian", "钱多多", Roles.Officer, "qian@xuhui.example", chief.Id);
        var firm = await host.AddFirmAsync("上海枫林生物医药有限公司", officer.Id, monday);
        var task = await host.AddTaskAsync(firm.Id, officer.Id, "提交高企认定材料清单", monday.AddDays(2));
        // Tokens live 12 hours of the fake clock too, so each look signs in afresh.
        Func<Task<HttpClient>> asOfficer = () => host.LoginAsync("qian", "Passw0rd-qian");
        Func<Task<HttpClient>> asChief = () => host.LoginAsync("chief", "Passw0rd-chief");

        Assert.Empty(await ItemsAsync(asOfficer));

        host.Clock.Advance(TimeSpan.FromDays(2));
        var due = Assert.Single(await ItemsAsync(asOfficer));
        Assert.Equal(ReminderKinds.TaskDue, due.Kind);
        Assert.Equal($"task-due:{task.Id}", due.Key);

        host.Clock.Advance(TimeSpan.FromDays(1));
        var overdue = Assert.Single(await ItemsAsync(asOfficer));
        Assert.Equal(ReminderKinds.TaskOverdue, overdue.Kind);
        Assert.Equal(1, overdue.Days);
        Assert.Empty(await ItemsAsync(asChief));

        host.Clock.Advance(TimeSpan.FromDays(7)); // 8 days overdue: more than 7
        var escalated = Assert.Single(await ItemsAsync(asChief));
        Assert.Equal(ReminderKinds.TaskEscalated, escalated.Kind);
        Assert.Equal(8, escalated.Days);
        Assert.Contains("钱多多", escalated.Detail, StringComparison.Ordinal);

        // The supervisor's digest of that day carries it too.
        var today = monday.AddDays(10);
        var (composed, _) = await DeliveryTests.ComposeAndSendAsync(host, today);
        Assert.Equal(2, composed.Queued);
        var subjects = await host.WithDbAsync(db => db.Outbox.AsNoTracking().Select(m => m.Recipient).ToListAsync());
        Assert.Contains("chief@xuhui.example", subjects);
    }

    [Fact]
    public async Task Dismissed_and_snoozed_reminders_leave_the_list_and_a_snooze_ends()
    {
        var monday = new DateOnly(2026, 3, 9);
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 9, 0));
        var officer = await host.AddUserAsync("sun", "孙悦", Roles.Officer, "sun@xuhui.example");
        var firm = await host.AddFirmAsync("上海徐汇人工智能创新中心", officer.Id, monday.AddDays(-200), tier: Domain.Firms.FirmTier.Key);
        var task = await host.AddTaskAsync(firm.Id, officer.Id, "回访融资需求", monday.AddDays(-1));
        Func<Task<HttpClient>> client = () => host.LoginAsync("sun", "Passw0rd-sun");

        var items = await ItemsAsync(client);
        Assert.Equal([ReminderKinds.TaskOverdue, ReminderKinds.VisitCadence], items.Select(i => i.Kind).Order());
        var cadence = items.Single(i => i.Kind == ReminderKinds.VisitCadence);
        Assert.Contains("200 天", cadence.Detail, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await (await client()).PostAsync($"/api/reminders/{cadence.Key}/dismiss", null)).StatusCode);
        var snooze = await (await client()).PostAsJsonAsync($"/api/reminders/task-overdue:{task.Id}/snooze", new { days = 2 });
        Assert.Equal(HttpStatusCode.OK, snooze.StatusCode);
        Assert.Empty(await ItemsAsync(client));

        host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(ReminderKinds.TaskOverdue, Assert.Single(await ItemsAsync(client)).Kind);

        Assert.Equal(HttpStatusCode.BadRequest, (await (await client()).PostAsync("/api/reminders/nonsense/dismiss", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await (await client()).PostAsJsonAsync($"/api/reminders/task-overdue:{task.Id}/snooze", new { days = 0 })).StatusCode);
    }

    [Fact]
    public async Task Subscriptions_choose_kinds_lead_days_and_email()
    {
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 9, 0));
        await host.AddUserAsync("zhou", "周到", Roles.Officer, "zhou@xuhui.example");
        var client = await host.LoginAsync("zhou", "Passw0rd-zhou");

        var defaults = await client.GetFromJsonAsync<SubscriptionDto>("/api/reminders/subscription");
        Assert.True(defaults!.IsDefault);
        Assert.Equal([180, 90, 30], defaults.LeadDays);

        var put = await client.PutAsJsonAsync("/api/reminders/subscription", new { kinds = new[] { "task-due", "task-overdue" }, leadDays = new[] { 60, 120 }, emailEnabled = false });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = await client.GetFromJsonAsync<SubscriptionDto>("/api/reminders/subscription");
        Assert.Equal([120, 60], saved!.LeadDays);
        Assert.False(saved.EmailEnabled);

        var bad = await client.PutAsJsonAsync("/api/reminders/subscription", new { kinds = new[] { "gossip" }, leadDays = new[] { 1, 2, 3, 4, 5, 6 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("kinds", problem, StringComparison.Ordinal);
        Assert.Contains("leadDays", problem, StringComparison.Ordinal);
    }

    private static async Task<List<ReminderItem>> ItemsAsync(Func<Task<HttpClient>> client) =>
        (await (await client()).GetFromJsonAsync<ReminderList>("/api/reminders"))!.Items;
}
