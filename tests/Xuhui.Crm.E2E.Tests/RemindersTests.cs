using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class RemindersTests(CrmApp app)
{
    [Fact]
    public async Task An_officer_snoozes_and_dismisses_reminders_on_my_day_in_place()
    {
        const string snoozeTitle = "补充高企申报知识产权清单";
        const string dismissTitle = "确认研发费用专项审计机构";
        var (firmId, _) = await app.CreateFirmAsync("上海徐汇云帆数据科技有限公司", app.OfficerId);
        var overdue = DateTime.UtcNow.AddHours(8).AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await app.SendAsync(HttpMethod.Post, "/api/tasks", new { firmId, title = snoozeTitle, dueOn = overdue, assigneeId = app.OfficerId });
        await app.SendAsync(HttpMethod.Post, "/api/tasks", new { firmId, title = dismissTitle, dueOn = overdue, assigneeId = app.OfficerId });
        var page = await app.SignInAsync("wangfang");

        var reminders = page.Locator("#reminders");
        await Assertions.Expect(reminders).ToContainTextAsync(snoozeTitle);
        await Assertions.Expect(reminders).ToContainTextAsync("逾期 3 天");
        await page.ShotAsync("my-day-reminders");
        var url = page.Url;

        var snooze = page.GetByRole(AriaRole.Button, new() { Name = $"一周后再提醒：{snoozeTitle}" });
        await snooze.ClickAsync();
        await Assertions.Expect(snooze).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("再次提醒");

        var dismiss = page.GetByRole(AriaRole.Button, new() { Name = $"忽略：{dismissTitle}" });
        await dismiss.ClickAsync();
        await Assertions.Expect(dismiss).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("已忽略");
        Assert.Equal(url, page.Url); // in place: no navigation

        // The API sees the same: both are hidden for this officer.
        using var officer = await app.LoginAsync("wangfang", CrmApp.Password);
        var list = await officer.GetFromJsonAsync<JsonObject>("/api/reminders");
        var titles = list!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(snoozeTitle, titles);
        Assert.DoesNotContain(dismissTitle, titles);

        // After a reload they stay hidden; the follow-ups themselves are still open on the task card.
        await page.ReloadAsync();
        await Assertions.Expect(reminders).Not.ToContainTextAsync(snoozeTitle);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"完成：{snoozeTitle}" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
