using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Requests;

public sealed class RequestLifeTests(RequestLifeTests.Factory factory) : IClassFixture<RequestLifeTests.Factory>
{
    /// <summary>20 October 2026, 10:00 in Shanghai: after the National Day holiday.</summary>
    public sealed class Factory : CrmFactory
    {
        public Factory() => Clock.SetUtcNow(new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_request_lives_from_the_visit_that_raised_it_through_progress_to_closure_with_its_deadline_in_working_days()
    {
        var (officer, client) = await factory.UserAndClientAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", officer.Id));

        // Raised on Wednesday 30 September; policy questions get 5 working days. 1–7 October is the National Day
        // holiday and Saturday 10 October a make-up working day: 8, 9, 10, 12, 13 October → 13 October.
        var visit = await client.PostJsonAsync("/api/visits", new
        {
            firmId = firm.Id(),
            kind = "on-site",
            on = "2026-09-30",
            summary = "了解研发费用加计扣除政策",
            raisedRequests = new[] { new { category = "policy", description = "请解读研发费用加计扣除新政", department = "stc" } },
        }, HttpStatusCode.Created);
        var raised = visit["raisedRequests"]![0]!;
        Assert.Equal("2026-10-13", raised.Str("deadline"));
        Assert.Equal("visit", raised.Str("channel"));
        Assert.Equal(officer.Id, raised["ownerId"]!.GetValue<long>());
        var id = raised.Id();

        var overdue = await client.GetJsonAsync($"/api/requests?overdue=true&ownerId={officer.Id}");
        Assert.Equal(1, overdue["total"]!.GetValue<int>());
        Assert.Equal(7, overdue["items"]![0]!["daysOverdue"]!.GetValue<int>());

        var progressed = await client.PostJsonAsync($"/api/requests/{id}/progress", new { note = "已电话说明，约定上门详解", on = "2026-10-15" }, HttpStatusCode.OK);
        Assert.Equal("in-progress", progressed.Str("status"));
        var waiting = await client.PostJsonAsync($"/api/requests/{id}/progress", new { note = "转税务部门确认口径", status = "waiting-other-department" }, HttpStatusCode.OK);
        Assert.Equal("waiting-other-department", waiting.Str("status"));

        var noResolution = await client.PostJsonAsync($"/api/requests/{id}/close", new { outcome = "resolved" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(noResolution.ErrorsFor("resolution"));

        var closed = await client.PostJsonAsync($"/api/requests/{id}/close", new { outcome = "resolved", resolution = "已上门讲解并提供申报指引", satisfaction = "satisfied", closedOn = "2026-10-19" }, HttpStatusCode.OK);
        Assert.Equal("resolved", closed.Str("status"));
        Assert.Equal("2026-10-19", closed.Str("closedOn"));
        Assert.Equal("satisfied", closed.Str("satisfaction"));
        Assert.False(closed["overdue"]!.GetValue<bool>());
        Assert.Equal(3, closed["progress"]!.AsArray().Count);

        var onFirm = await client.GetJsonAsync($"/api/requests?firmId={firm.Id()}");
        Assert.Equal("resolved", onFirm["items"]![0].Str("status"));
        var audit = await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit");
        Assert.Contains(audit.AsArray(), a => a.Str("entityType") == "FirmRequest" && a.Str("action") == "updated");
    }

    [Fact]
    public async Task Closing_as_cannot_be_resolved_needs_a_reason()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var r = await admin.PostJsonAsync("/api/requests", new { firmId = firm.Id(), category = "space", description = "需要扩租办公面积800平方米", channel = "phone" }, HttpStatusCode.Created);
        Assert.Equal("2026-11-10", r.Str("deadline"));

        var problem = await admin.PostJsonAsync($"/api/requests/{r.Id()}/close", new { outcome = "cannot-resolve", resolution = " " }, HttpStatusCode.BadRequest);
        Assert.Contains("原因", problem.ErrorsFor("resolution")[0], StringComparison.Ordinal);
        var closed = await admin.PostJsonAsync($"/api/requests/{r.Id()}/close", new { outcome = "cannot-resolve", resolution = "园区暂无可用面积，已登记需求" }, HttpStatusCode.OK);
        Assert.Equal("cannot-resolve", closed.Str("status"));
        await admin.PostJsonAsync($"/api/requests/{r.Id()}/close", new { outcome = "resolved", resolution = "再次办结" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_viewer_can_read_requests_but_cannot_change_one_and_nothing_is_written()
    {
        var (_, viewer) = await factory.UserAndClientAsync(Roles.Viewer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var r = await admin.PostJsonAsync("/api/requests", new { firmId = firm.Id(), category = "talent", description = "两名博士落户" }, HttpStatusCode.Created);
        var before = await factory.RowCountsAsync();

        Assert.Equal("两名博士落户", (await viewer.GetJsonAsync($"/api/requests/{r.Id()}")).Str("description"));
        await viewer.PostJsonAsync("/api/requests", new { firmId = firm.Id(), category = "talent", description = "x" }, HttpStatusCode.Forbidden);
        await viewer.PostJsonAsync($"/api/requests/{r.Id()}/progress", new { note = "x" }, HttpStatusCode.Forbidden);
        await viewer.PostJsonAsync($"/api/requests/{r.Id()}/close", new { outcome = "resolved", resolution = "x" }, HttpStatusCode.Forbidden);
        await viewer.PutJsonAsync($"/api/requests/{r.Id()}", new { version = 1, category = "talent", description = "y" }, HttpStatusCode.Forbidden);

        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task A_stale_edit_gets_409_with_the_current_request()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var r = await admin.PostJsonAsync("/api/requests", new { firmId = firm.Id(), category = "ip", description = "专利质押融资咨询" }, HttpStatusCode.Created);
        await admin.PutJsonAsync($"/api/requests/{r.Id()}", new { version = 1, category = "finance", description = "专利质押融资咨询", department = "finance-office" }, HttpStatusCode.OK);

        var conflict = await admin.PutJsonAsync($"/api/requests/{r.Id()}", new { version = 1, category = "ip", description = "改回" }, HttpStatusCode.Conflict);
        Assert.Equal("finance", conflict["current"].Str("category"));
        Assert.Equal(2, conflict["current"]!.Version());
    }

    [Fact]
    public async Task Bad_categories_departments_and_a_missing_firm_are_400s_naming_each_field()
    {
        using var admin = await factory.AdminAsync();
        var before = await factory.RowCountsAsync();
        var problem = await admin.PostJsonAsync("/api/requests", new { firmId = 999999, category = "weather", description = "", department = "nasa" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("firmId"));
        Assert.NotEmpty(problem.ErrorsFor("category"));
        Assert.NotEmpty(problem.ErrorsFor("description"));
        Assert.NotEmpty(problem.ErrorsFor("department"));

        var firm = await admin.CreateFirmAsync();
        before = await factory.RowCountsAsync();
        var visitProblem = await admin.PostJsonAsync("/api/visits", new
        {
            firmId = firm.Id(),
            kind = "phone",
            on = "2026-10-19",
            raisedRequests = new[] { new { category = "weather", description = "x" } },
        }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(visitProblem.ErrorsFor("raisedRequests[0].category"));
        Assert.Equal(before, await factory.RowCountsAsync());
        Assert.Equal(0, await factory.WithDbAsync(db => db.Requests.CountAsync()));
    }
}
