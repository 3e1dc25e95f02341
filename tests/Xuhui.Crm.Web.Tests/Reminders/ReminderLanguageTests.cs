using System.Net;
using System.Net.Http.Json;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>The reminder routes' refusals answer in the caller's language: Simplified Chinese unless it asks for English.</summary>
public sealed class ReminderLanguageTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Theory]
    [InlineData(null, "提醒标识无效", "应晚于今天且不超过一年", "该提醒未被忽略或推迟")]
    [InlineData("en", "Invalid reminder key", "After today, within a year", "This reminder is not dismissed or snoozed")]
    public async Task Refused_reminder_changes_answer_in_the_callers_language(string? acceptLanguage, string badKey, string badDays, string notHidden)
    {
        using var admin = await factory.AdminAsync();
        if (acceptLanguage is not null)
        {
            admin.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var dismiss = await admin.PostAsync("/api/reminders/not-a-key/dismiss", null);
        Assert.Equal(badKey, (await dismiss.ExpectAsync(HttpStatusCode.BadRequest))!["errors"]!["key"]![0]!.GetValue<string>());

        using var snooze = await admin.PostAsJsonAsync("/api/reminders/task-overdue:1/snooze", new { until = "2020-01-01" });
        Assert.Equal(badDays, (await snooze.ExpectAsync(HttpStatusCode.BadRequest))!["errors"]!["until"]![0]!.GetValue<string>());

        using var restore = await admin.DeleteAsync("/api/reminders/task-overdue:1/state");
        Assert.Equal(notHidden, (await restore.ExpectAsync(HttpStatusCode.NotFound)).Str("detail"));
    }
}
