using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

public sealed class AuditTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_firms_audit_shows_field_level_old_and_new_values_with_who_and_when()
    {
        using var admin = await factory.AdminAsync();
        var adminId = (await admin.GetJsonAsync("/api/auth/me")).Id();
        var firm = await admin.CreateFirmAsync(TestData.Firm("上海审计前名称有限公司"));
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var editedAt = factory.Clock.GetUtcNow();
        await admin.PutJsonAsync(
            $"/api/firms/{firm.Id()}",
            firm.Editable().With("name", "上海审计后名称有限公司").With("headcount", 150),
            HttpStatusCode.OK);

        var audit = (await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit")).AsArray();

        var update = audit.Single(a => a!.Str("action") == "updated" && a.Str("entityType") == "Firm")!;
        Assert.Equal(firm.Id(), update["entityId"]!.GetValue<long>());
        Assert.Equal(adminId, update["userId"]!.GetValue<long>());
        Assert.Equal(editedAt, update["at"]!.GetValue<DateTimeOffset>());
        var changes = update["changes"]!.AsArray().ToDictionary(c => c!.Str("field")!, c => (Old: c!.Str("old"), New: c!.Str("new")));
        Assert.Equal(("上海审计前名称有限公司", "上海审计后名称有限公司"), changes["Name"]);
        Assert.Equal(("120", "150"), changes["Headcount"]);
        Assert.DoesNotContain("Version", changes.Keys);
        Assert.DoesNotContain("Zone", changes.Keys);

        var created = audit.Single(a => a!.Str("action") == "created" && a.Str("entityType") == "Firm")!;
        Assert.Equal(adminId, created["userId"]!.GetValue<long>());
        Assert.Contains(created["changes"]!.AsArray(), c => c!.Str("field") == "Name" && c.Str("old") is null && c.Str("new") == "上海审计前名称有限公司");
    }

    [Fact]
    public async Task A_firms_audit_includes_its_contacts_and_co_officer_changes()
    {
        using var admin = await factory.AdminAsync();
        var officer = await factory.CreateUserAsync(Domain.Users.Roles.Officer);
        var firm = await admin.CreateFirmAsync();
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "张三", phone = "13800138000" }, HttpStatusCode.Created);
        await admin.PutJsonAsync($"/api/contacts/{contact.Id()}", new { version = 1, name = "张三", phone = "13900139000" }, HttpStatusCode.OK);
        await admin.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("coOfficerIds", TestData.Ids(officer.Id)), HttpStatusCode.OK);

        var audit = (await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit")).AsArray();
        Assert.Contains(audit, a => a!.Str("entityType") == "Contact" && a.Str("action") == "created");
        Assert.Contains(
            audit.Where(a => a!.Str("entityType") == "Contact" && a.Str("action") == "updated").SelectMany(a => a!["changes"]!.AsArray()),
            c => c!.Str("field") == "Phone" && c.Str("old") == "13800138000" && c.Str("new") == "13900139000");
        Assert.Contains(
            audit.SelectMany(a => a!["changes"]!.AsArray()),
            c => c!.Str("field") == "CoOfficerIds" && c.Str("new") == officer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task No_audit_row_is_written_when_an_update_is_refused()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var auditRows = await CountAuditAsync(firm.Id());

        // Invalid, stale, type error, forbidden: none of them leaves a trace.
        await admin.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("zone", "pudong"), HttpStatusCode.BadRequest);
        await admin.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("version", 99).With("name", "上海过期有限公司"), HttpStatusCode.Conflict);
        using (var typeError = await admin.SendRawAsync(HttpMethod.Put, $"/api/firms/{firm.Id()}", firm.Editable().With("headcount", "many").ToJsonString()))
        {
            await typeError.ExpectAsync(HttpStatusCode.BadRequest);
        }

        var (_, viewer) = await factory.UserAndClientAsync(Domain.Users.Roles.Viewer);
        using (viewer)
        {
            using var forbidden = await viewer.PutAsync($"/api/firms/{firm.Id()}", System.Net.Http.Json.JsonContent.Create(firm.Editable().With("name", "上海越权有限公司")));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        Assert.Equal(auditRows, await CountAuditAsync(firm.Id()));
        Assert.Single((await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit")).AsArray(), a => a!.Str("entityType") == "Firm");
    }

    [Fact]
    public async Task No_audit_row_is_written_when_a_create_is_refused()
    {
        using var admin = await factory.AdminAsync();
        var before = await factory.WithDbAsync(db => db.AuditEntries.CountAsync());
        await admin.PostJsonAsync("/api/firms", TestData.Firm().With("zone", "pudong"), HttpStatusCode.BadRequest);
        Assert.Equal(before, await factory.WithDbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task The_audit_of_a_firm_that_does_not_exist_is_404()
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.GetAsync("/api/firms/424242/audit");
        await response.ExpectAsync(HttpStatusCode.NotFound);
    }

    private Task<int> CountAuditAsync(long firmId) => factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.FirmId == firmId));
}
