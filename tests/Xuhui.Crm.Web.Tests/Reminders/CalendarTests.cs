using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

[Collection(RemindersCollection.Name)]
public sealed class CalendarTests
{
    private static readonly JsonSerializerOptions Api = Configured();

    [Fact]
    public async Task The_2026_calendar_is_seeded_from_the_state_council_notice_and_admins_can_edit_it()
    {
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 9, 0));
        var admin = await host.AdminAsync();

        var year = await admin.GetFromJsonAsync<CalendarYear>("/api/calendar?year=2026", Api);
        // 261 weekdays − 19 weekday holidays + 6 make-up weekend days.
        Assert.Equal(248, year!.WorkingDays);
        Assert.Equal(6, year.Exceptions.Count(d => d.Kind == CalendarDayKind.Workday));

        Assert.True((await admin.GetFromJsonAsync<WorkingDayAnswer>("/api/calendar/2026-02-14", Api))!.IsWorkingDay);   // make-up Saturday
        Assert.False((await admin.GetFromJsonAsync<WorkingDayAnswer>("/api/calendar/2026-02-16", Api))!.IsWorkingDay);  // Spring Festival Monday
        Assert.True((await admin.GetFromJsonAsync<WorkingDayAnswer>("/api/calendar/2026-09-20", Api))!.IsWorkingDay);   // make-up Sunday
        Assert.False((await admin.GetFromJsonAsync<WorkingDayAnswer>("/api/calendar/2026-10-07", Api))!.IsWorkingDay);

        // A district-wide day off, then taken back.
        var put = await admin.PutAsJsonAsync("/api/admin/calendar/2026-03-10", new { kind = "holiday", name = "区级活动调休" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.False((await admin.GetFromJsonAsync<WorkingDayAnswer>("/api/calendar/2026-03-10", Api))!.IsWorkingDay);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/calendar/2026-03-10")).StatusCode);
        Assert.True((await admin.GetFromJsonAsync<WorkingDayAnswer>("/api/calendar/2026-03-10", Api))!.IsWorkingDay);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/admin/calendar/2026-03-10", new { name = "x" })).StatusCode);

        await host.AddUserAsync("zheng", "郑一", Domain.Users.Roles.Officer, null);
        var officer = await host.LoginAsync("zheng", "Passw0rd-zheng");
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PutAsJsonAsync("/api/admin/calendar/2026-03-11", new { kind = "holiday", name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/admin/outbox")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/admin/jobs")).StatusCode);
    }

    private static JsonSerializerOptions Configured()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Json.Configure(options);
        return options;
    }
}
