using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

public sealed class RoleTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_viewer_can_read_firms_but_gets_403_on_post_put_and_delete()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var (_, viewer) = await factory.UserAndClientAsync(Roles.Viewer);
        using (viewer)
        {
            await viewer.GetJsonAsync("/api/firms");
            await viewer.GetJsonAsync($"/api/firms/{firm.Id()}");
            await viewer.GetJsonAsync($"/api/firms/{firm.Id()}/audit");
            await viewer.GetJsonAsync($"/api/firms/{firm.Id()}/contacts");
            await viewer.GetJsonAsync("/api/reference");

            var before = await factory.RowCountsAsync();
            using (var post = await viewer.PostAsJsonAsync("/api/firms", TestData.Firm()))
            {
                Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            }

            using (var put = await viewer.PutAsJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("name", "上海只读者修改有限公司")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
            }

            using (var delete = await viewer.DeleteAsync($"/api/firms/{firm.Id()}"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
            }

            using (var contact = await viewer.PostAsJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "李四" }))
            {
                Assert.Equal(HttpStatusCode.Forbidden, contact.StatusCode);
            }

            Assert.Equal(before, await factory.RowCountsAsync());
        }
    }

    [Fact]
    public async Task An_officer_edits_firms_where_they_are_lead_or_co_officer()
    {
        var lead = await factory.CreateUserAsync(Roles.Officer);
        var co = await factory.CreateUserAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", lead.Id).With("coOfficerIds", TestData.Ids(co.Id)));

        using var leadClient = await factory.ClientForAsync(lead);
        var afterLead = await leadClient.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("headcount", 130), HttpStatusCode.OK);
        using var coClient = await factory.ClientForAsync(co);
        var afterCo = await coClient.PutJsonAsync($"/api/firms/{firm.Id()}", afterLead.Editable().With("headcount", 140), HttpStatusCode.OK);
        Assert.Equal(3, afterCo.Version());
        await coClient.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "王五" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_officer_gets_403_when_editing_a_firm_they_are_not_on()
    {
        var lead = await factory.CreateUserAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", lead.Id));
        var (_, other) = await factory.UserAndClientAsync(Roles.Officer);
        using (other)
        {
            await other.GetJsonAsync($"/api/firms/{firm.Id()}");
            var before = await factory.RowCountsAsync();
            await other.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("headcount", 1), HttpStatusCode.Forbidden);
            using (var delete = await other.DeleteAsync($"/api/firms/{firm.Id()}"))
            {
                await delete.ExpectAsync(HttpStatusCode.Forbidden);
            }

            await other.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "赵六" }, HttpStatusCode.Forbidden);
            Assert.Equal(before, await factory.RowCountsAsync());
        }
    }

    [Fact]
    public async Task An_officer_cannot_create_a_firm_for_another_officer_or_reassign_one()
    {
        var (me, client) = await factory.UserAndClientAsync(Roles.Officer);
        var someoneElse = await factory.CreateUserAsync(Roles.Officer);
        using (client)
        {
            var problem = await client.PostJsonAsync("/api/firms", TestData.Firm().With("leadOfficerId", someoneElse.Id), HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.ErrorsFor("leadOfficerId"));

            var mine = await client.CreateFirmAsync();
            Assert.Equal(me.Id, mine["leadOfficerId"]!.GetValue<long>());
            var reassign = await client.PutJsonAsync($"/api/firms/{mine.Id()}", mine.Editable().With("leadOfficerId", someoneElse.Id), HttpStatusCode.BadRequest);
            Assert.NotEmpty(reassign.ErrorsFor("leadOfficerId"));
        }
    }

    [Fact]
    public async Task A_supervisor_edits_and_reassigns_any_firm()
    {
        var lead = await factory.CreateUserAsync(Roles.Officer);
        var next = await factory.CreateUserAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", lead.Id));
        var (_, supervisor) = await factory.UserAndClientAsync(Roles.Supervisor);
        using (supervisor)
        {
            var updated = await supervisor.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("leadOfficerId", next.Id), HttpStatusCode.OK);
            Assert.Equal(next.Id, updated["leadOfficerId"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task A_viewer_cannot_be_made_a_firms_officer()
    {
        var viewer = await factory.CreateUserAsync(Roles.Viewer);
        using var admin = await factory.AdminAsync();
        var problem = await admin.PostJsonAsync("/api/firms", TestData.Firm().With("leadOfficerId", viewer.Id), HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("leadOfficerId"));
        problem = await admin.PostJsonAsync("/api/firms", TestData.Firm().With("coOfficerIds", TestData.Ids(viewer.Id, 999_999)), HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("coOfficerIds"));
    }

    [Fact]
    public async Task Contacts_are_masked_for_a_viewer_and_an_officer_not_on_the_firm_and_full_for_its_officers_supervisors_and_admins()
    {
        var lead = await factory.CreateUserAsync(Roles.Officer);
        var co = await factory.CreateUserAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", lead.Id).With("coOfficerIds", TestData.Ids(co.Id)));
        var contact = await admin.PostJsonAsync(
            $"/api/firms/{firm.Id()}/contacts",
            new { name = "陈经理", title = "总经理", phone = "13812345678", email = "chen@example.cn", weChat = "chen_wx" },
            HttpStatusCode.Created);

        foreach (var role in new[] { Roles.Viewer, Roles.Officer })
        {
            var (_, client) = await factory.UserAndClientAsync(role);
            using (client)
            {
                AssertMasked((await client.GetJsonAsync($"/api/firms/{firm.Id()}/contacts"))[0]!, role);
                AssertMasked(await client.GetJsonAsync($"/api/contacts/{contact.Id()}"), role);
            }
        }

        var supervisor = await factory.CreateUserAsync(Roles.Supervisor);
        foreach (var user in new[] { lead, co, supervisor })
        {
            using var client = await factory.ClientForAsync(user);
            AssertFull((await client.GetJsonAsync($"/api/firms/{firm.Id()}/contacts"))[0]!, user.Role);
            AssertFull(await client.GetJsonAsync($"/api/contacts/{contact.Id()}"), user.Role);
        }

        AssertFull((await admin.GetJsonAsync($"/api/firms/{firm.Id()}/contacts"))[0]!, Roles.Admin);
    }

    private static void AssertMasked(JsonNode contact, string who)
    {
        Assert.True(contact["masked"]!.GetValue<bool>(), who);
        Assert.Equal("陈经理", contact.Str("name"));
        Assert.NotEqual("13812345678", contact.Str("phone"));
        Assert.Contains("****", contact.Str("phone"), StringComparison.Ordinal);
        Assert.NotEqual("chen@example.cn", contact.Str("email"));
        Assert.NotEqual("chen_wx", contact.Str("weChat"));
    }

    private static void AssertFull(JsonNode contact, string who)
    {
        Assert.False(contact["masked"]!.GetValue<bool>(), who);
        Assert.Equal("13812345678", contact.Str("phone"));
        Assert.Equal("chen@example.cn", contact.Str("email"));
        Assert.Equal("chen_wx", contact.Str("weChat"));
    }
}
