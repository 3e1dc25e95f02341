using System.Net;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

public sealed class ContactTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Creating_and_updating_a_contact_with_its_version_works_and_bumps_the_version()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "孙七", title = "研发总监", email = "sun@example.cn" }, HttpStatusCode.Created);
        Assert.Equal(1, contact.Version());
        Assert.Equal(firm.Id(), contact["firmId"]!.GetValue<long>());

        var updated = await admin.PutJsonAsync($"/api/contacts/{contact.Id()}", new { version = 1, name = "孙七", title = "首席技术官" }, HttpStatusCode.OK);
        Assert.Equal(2, updated.Version());
        Assert.Equal("首席技术官", updated.Str("title"));
    }

    [Fact]
    public async Task Updating_a_contact_with_a_stale_version_returns_409_with_the_current_contact_and_changes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "周八" }, HttpStatusCode.Created);
        await admin.PutJsonAsync($"/api/contacts/{contact.Id()}", new { version = 1, name = "周八", phone = "021-64870000" }, HttpStatusCode.OK);

        var before = await factory.RowCountsAsync();
        var conflict = await admin.PutJsonAsync($"/api/contacts/{contact.Id()}", new { version = 1, name = "周八（旧）" }, HttpStatusCode.Conflict);
        Assert.Equal(2, conflict["current"]!.Version());
        Assert.Equal("021-64870000", conflict["current"]!.Str("phone"));
        Assert.Equal(before, await factory.RowCountsAsync());
        Assert.Equal("周八", (await admin.GetJsonAsync($"/api/contacts/{contact.Id()}")).Str("name"));
    }

    [Fact]
    public async Task A_contact_without_a_name_or_with_a_bad_email_returns_400_naming_the_fields_and_writes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var before = await factory.RowCountsAsync();
        var problem = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = " ", email = "not-an-email", phone = "call me" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("name"));
        Assert.NotEmpty(problem.ErrorsFor("email"));
        Assert.NotEmpty(problem.ErrorsFor("phone"));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task Deleting_a_contact_archives_it_out_of_the_firms_list()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "吴九" }, HttpStatusCode.Created);
        using (var delete = await admin.DeleteAsync($"/api/contacts/{contact.Id()}"))
        {
            await delete.ExpectAsync(HttpStatusCode.NoContent);
        }

        Assert.Empty((await admin.GetJsonAsync($"/api/firms/{firm.Id()}/contacts")).AsArray());
    }
}
