using System.Net;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

public sealed class VersionRequiredTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Updating_a_contact_or_a_task_without_a_version_returns_400_naming_version_and_writes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "冯二" }, HttpStatusCode.Created);
        var task = await admin.PostJsonAsync("/api/tasks", new { firmId = firm.Id(), title = "回访", dueOn = "2026-06-20" }, HttpStatusCode.Created);
        var before = await factory.RowCountsAsync();

        var contactProblem = await admin.PutJsonAsync($"/api/contacts/{contact.Id()}", new { name = "冯二二" }, HttpStatusCode.BadRequest);
        var taskProblem = await admin.PutJsonAsync($"/api/tasks/{task.Id()}", new { firmId = firm.Id(), title = "回访2", dueOn = "2026-06-21" }, HttpStatusCode.BadRequest);

        Assert.Contains("version", contactProblem.ErrorsFor("version")[0], StringComparison.Ordinal);
        Assert.NotEmpty(taskProblem.ErrorsFor("version"));
        Assert.Equal(before, await factory.RowCountsAsync());
        Assert.Equal("冯二", (await admin.GetJsonAsync($"/api/contacts/{contact.Id()}")).Str("name"));
    }
}
