using System.Net;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Visits;

public sealed class VisitAndTaskTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_done_on_site_visit_with_a_follow_up_is_recorded_resets_the_cadence_and_creates_the_task()
    {
        var (officer, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            var firm = await client.CreateFirmAsync();
            var visit = await client.PostJsonAsync("/api/visits", new
            {
                firmId = firm.Id(),
                status = "done",
                kind = "on-site",
                on = "2026-06-12",
                officerIds = new[] { officer.Id },
                summary = "了解研发投入情况",
                requests = "希望了解高企申报流程",
                followUps = new[] { new { title = "发送高企申报指南", dueOn = "2026-06-20", assigneeId = officer.Id } },
            }, HttpStatusCode.Created);
            Assert.Equal(1, visit.Version());

            var after = await client.GetJsonAsync($"/api/firms/{firm.Id()}");
            Assert.Equal("2026-06-12", after.Str("lastVisitOn"));
            Assert.Equal("2026-09-10", after.Str("nextVisitDueOn"));

            var visits = await client.GetJsonAsync($"/api/visits?firmId={firm.Id()}");
            Assert.Single(visits["items"]!.AsArray());
            var tasks = await client.GetJsonAsync($"/api/tasks?assigneeId={officer.Id}&status=open");
            Assert.Contains(tasks["items"]!.AsArray(), t => t!.Str("title") == "发送高企申报指南" && t!["firmId"]!.GetValue<long>() == firm.Id());
        }
    }

    [Fact]
    public async Task A_planned_visit_needs_a_start_time()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var before = await factory.RowCountsAsync();
        var problem = await admin.PostJsonAsync("/api/visits", new { firmId = firm.Id(), status = "planned", kind = "meeting", on = "2026-06-30" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("startsAt"));
        Assert.Equal(before, await factory.RowCountsAsync());
        await admin.PostJsonAsync("/api/visits", new { firmId = firm.Id(), status = "planned", kind = "meeting", on = "2026-06-30", startsAt = "2026-06-30T06:00:00Z" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Updating_a_visit_with_a_stale_version_returns_409_with_the_current_visit()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var visit = await admin.PostJsonAsync("/api/visits", new { firmId = firm.Id(), status = "done", kind = "phone", on = "2026-06-10", summary = "电话沟通" }, HttpStatusCode.Created);
        var edit = new { version = 1, firmId = firm.Id(), status = "done", kind = "phone", on = "2026-06-10", summary = "电话沟通（补充）" };
        var updated = await admin.PutJsonAsync($"/api/visits/{visit.Id()}", edit, HttpStatusCode.OK);
        Assert.Equal(2, updated.Version());

        var before = await factory.RowCountsAsync();
        var conflict = await admin.PutJsonAsync($"/api/visits/{visit.Id()}", edit with { summary = "过期修改" }, HttpStatusCode.Conflict);
        Assert.Equal("电话沟通（补充）", conflict["current"]!.Str("summary"));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task A_task_is_created_updated_and_completed_with_409_on_a_stale_version()
    {
        var (officer, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            var firm = await client.CreateFirmAsync();
            var task = await client.PostJsonAsync("/api/tasks", new { firmId = firm.Id(), assigneeId = officer.Id, title = "催交年报", dueOn = "2026-06-01" }, HttpStatusCode.Created);
            Assert.Equal("open", task.Str("status"));

            var overdue = await client.GetJsonAsync($"/api/tasks?assigneeId={officer.Id}&dueBefore=2026-06-15");
            Assert.Contains(overdue["items"]!.AsArray(), t => t!.Id() == task.Id());

            var updated = await client.PutJsonAsync($"/api/tasks/{task.Id()}", new { version = 1, firmId = firm.Id(), assigneeId = officer.Id, title = "催交2025年度年报", dueOn = "2026-06-05" }, HttpStatusCode.OK);
            Assert.Equal(2, updated.Version());

            var before = await factory.RowCountsAsync();
            var stale = await client.PutJsonAsync($"/api/tasks/{task.Id()}", new { version = 1, firmId = firm.Id(), assigneeId = officer.Id, title = "过期", dueOn = "2026-06-05" }, HttpStatusCode.Conflict);
            Assert.Equal("催交2025年度年报", stale["current"]!.Str("title"));
            await client.PostJsonAsync($"/api/tasks/{task.Id()}/complete", new { version = 1 }, HttpStatusCode.Conflict);
            Assert.Equal(before, await factory.RowCountsAsync());

            var done = await client.PostJsonAsync($"/api/tasks/{task.Id()}/complete", new { version = 2, completedOn = "2026-06-15", note = "已提交" }, HttpStatusCode.OK);
            Assert.Equal("done", done.Str("status"));
            Assert.Equal("2026-06-15", done.Str("completedOn"));
            await client.PostJsonAsync($"/api/tasks/{task.Id()}/complete", new { version = 3 }, HttpStatusCode.Conflict);
        }
    }

    [Fact]
    public async Task A_viewer_cannot_log_visits_or_tasks()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var (viewer, client) = await factory.UserAndClientAsync(Roles.Viewer);
        using (client)
        {
            await client.GetJsonAsync($"/api/visits?firmId={firm.Id()}");
            await client.GetJsonAsync("/api/tasks");
            await client.PostJsonAsync("/api/visits", new { firmId = firm.Id(), status = "done", kind = "phone", on = "2026-06-10" }, HttpStatusCode.Forbidden);
            await client.PostJsonAsync("/api/tasks", new { firmId = firm.Id(), assigneeId = viewer.Id, title = "x", dueOn = "2026-06-20" }, HttpStatusCode.Forbidden);
        }
    }
}
