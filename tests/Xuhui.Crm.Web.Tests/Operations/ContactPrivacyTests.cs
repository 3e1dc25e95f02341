using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

public sealed class ContactPrivacyTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_supervisor_viewing_a_firms_contacts_in_full_is_recorded_and_the_firms_officer_is_not()
    {
        var (officer, officerClient) = await factory.UserAndClientAsync(Roles.Officer);
        var (supervisor, supervisorClient) = await factory.UserAndClientAsync(Roles.Supervisor);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", officer.Id));
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "钱九", phone = "13912345678" }, HttpStatusCode.Created);

        var seenByOfficer = await officerClient.GetJsonAsync($"/api/firms/{firm.Id()}/contacts");
        var seenBySupervisor = await supervisorClient.GetJsonAsync($"/api/contacts/{contact.Id()}");

        Assert.Equal("13912345678", seenByOfficer[0].Str("phone"));
        Assert.Equal("13912345678", seenBySupervisor.Str("phone"));
        var accesses = await factory.WithDbAsync(db => db.ContactAccesses.Where(a => a.ContactId == contact.Id()).ToListAsync());
        Assert.Equal([supervisor.Id], accesses.Select(a => a.UserId).Distinct());
    }

    [Fact]
    public async Task Erasing_a_contact_removes_its_details_scrubs_the_audit_trail_and_keeps_the_visit()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "吴十", phone = "13800001111", email = "wu@example.cn", weChat = "wu10" }, HttpStatusCode.Created);
        await admin.PutJsonAsync($"/api/contacts/{contact.Id()}", new { version = 1, name = "吴十", phone = "13800002222" }, HttpStatusCode.OK);
        var visit = await admin.PostJsonAsync("/api/visits", new { firmId = firm.Id(), kind = "meeting", on = "2026-06-10", contactIds = new[] { contact.Id() }, summary = "座谈" }, HttpStatusCode.Created);

        using var erased = await admin.PostAsync($"/api/contacts/{contact.Id()}/erase", null);
        await erased.ExpectAsync(HttpStatusCode.NoContent);

        var stored = await factory.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contact.Id()));
        Assert.Equal(ContactErasure.ErasedName, stored.Name);
        Assert.Null(stored.Phone);
        Assert.Null(stored.Email);
        Assert.Null(stored.WeChat);
        // The raw body, not a re-serialised node: the serializer would escape the Chinese and hide it from the check.
        var text = await admin.GetStringAsync(new Uri($"/api/firms/{firm.Id()}/audit", UriKind.Relative));
        Assert.Contains("Contact", text, StringComparison.Ordinal);
        foreach (var secret in new[] { "吴十", "13800001111", "13800002222", "wu@example.cn", "wu10" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Contains(ContactErasure.Scrubbed, text, StringComparison.Ordinal);
        var kept = await admin.GetJsonAsync($"/api/visits/{visit.Id()}");
        Assert.Equal(contact.Id(), kept["contactIds"]![0]!.GetValue<long>());
    }

    [Fact]
    public async Task Only_supervisors_and_admins_may_erase_a_contact()
    {
        var (officer, officerClient) = await factory.UserAndClientAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", officer.Id));
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "郑一" }, HttpStatusCode.Created);
        using var response = await officerClient.PostAsync($"/api/contacts/{contact.Id()}/erase", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
