using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

public sealed class FirmCrudTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Creating_a_firm_returns_201_with_the_firm_and_its_location()
    {
        using var admin = await factory.AdminAsync();
        var body = TestData.Firm("上海徐汇云启智能科技有限公司").With("englishName", "Cloudstart AI").With("tier", "key");
        using var response = await admin.PostAsJsonAsync("/api/firms", body);
        var firm = (await response.ExpectAsync(HttpStatusCode.Created))!;

        Assert.Equal($"/api/firms/{firm.Id()}", response.Headers.Location?.ToString());
        Assert.Equal(1, firm.Version());
        Assert.Equal("上海徐汇云启智能科技有限公司", firm.Str("name"));
        Assert.Equal("Cloudstart AI", firm.Str("englishName"));
        Assert.Equal(body.Str("creditCode"), firm.Str("creditCode"));
        Assert.Equal("310104", firm.Str("district"));
        Assert.Equal(TestData.Zone, firm.Str("zone"));
        Assert.Equal(TestData.Industry, firm.Str("industry"));
        Assert.Equal("domestic-private", firm.Str("ownership"));
        Assert.Equal("2018-03-01", firm.Str("establishedOn"));
        Assert.Equal("key", firm.Str("tier"));
        Assert.Equal("active", firm.Str("status"));
        Assert.Empty(firm["formerNames"]!.AsArray());
        Assert.Empty(firm["coOfficerIds"]!.AsArray());
    }

    [Fact]
    public async Task Creating_a_firm_normalises_a_pasted_credit_code()
    {
        using var admin = await factory.AdminAsync();
        var code = TestData.NewCreditCode();
        var pasted = " " + string.Concat(code[..9].ToLowerInvariant().Select(c => (char)(c + 0xFEE0))) + " " + code[9..].ToLowerInvariant();
        var firm = await admin.CreateFirmAsync(TestData.Firm(creditCode: pasted));
        Assert.Equal(code, firm.Str("creditCode"));
    }

    [Fact]
    public async Task An_officer_creating_a_firm_becomes_its_lead_officer()
    {
        var (officer, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            var firm = await client.CreateFirmAsync();
            Assert.Equal(officer.Id, firm["leadOfficerId"]!.GetValue<long>());
            Assert.Equal("2026-06-15", firm.Str("assignedOn"));
        }
    }

    [Fact]
    public async Task Getting_a_firm_returns_it_as_it_was_created()
    {
        using var admin = await factory.AdminAsync();
        var created = await admin.CreateFirmAsync(TestData.Firm().With("formerNames", new JsonArray("上海旧名称有限公司")));
        var fetched = await admin.GetJsonAsync($"/api/firms/{created.Id()}");
        Assert.Equal(created.Id(), fetched.Id());
        Assert.Equal(created.Str("name"), fetched.Str("name"));
        Assert.Equal(created.Str("creditCode"), fetched.Str("creditCode"));
        Assert.Equal("上海旧名称有限公司", fetched["formerNames"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Getting_a_firm_that_does_not_exist_returns_404()
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.GetAsync("/api/firms/987654321");
        var problem = await response.ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(404, problem!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Updating_a_firm_with_its_version_saves_it_and_bumps_the_version()
    {
        using var admin = await factory.AdminAsync();
        var created = await admin.CreateFirmAsync();

        // PUT takes the firm as GET returned it, read-only members included.
        var edit = (await admin.GetJsonAsync($"/api/firms/{created.Id()}")).Editable()
            .With("name", "上海改名后科技有限公司").With("headcount", 200).With("zone", TestData.OtherZone);
        var updated = await admin.PutJsonAsync($"/api/firms/{created.Id()}", edit, HttpStatusCode.OK);

        Assert.Equal(2, updated.Version());
        Assert.Equal("上海改名后科技有限公司", updated.Str("name"));
        Assert.Equal(200, updated["headcount"]!.GetValue<int>());
        Assert.Equal(TestData.OtherZone, updated.Str("zone"));
        var fetched = await admin.GetJsonAsync($"/api/firms/{created.Id()}");
        Assert.Equal(2, fetched.Version());
        Assert.Equal("上海改名后科技有限公司", fetched.Str("name"));
    }

    [Fact]
    public async Task Updating_a_firm_with_a_stale_version_returns_409_with_the_current_firm_and_changes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var created = await admin.CreateFirmAsync();
        var first = created.Editable().With("name", "上海第一次修改有限公司");
        await admin.PutJsonAsync($"/api/firms/{created.Id()}", first, HttpStatusCode.OK);

        var before = await factory.RowCountsAsync();
        var stale = created.Editable().With("name", "上海过期版本修改有限公司");
        var conflict = await admin.PutJsonAsync($"/api/firms/{created.Id()}", stale, HttpStatusCode.Conflict);

        Assert.Equal(409, conflict["status"]!.GetValue<int>());
        Assert.Equal(2, conflict["current"]!.Version());
        Assert.Equal("上海第一次修改有限公司", conflict["current"]!.Str("name"));
        Assert.Equal(before, await factory.RowCountsAsync());
        Assert.Equal("上海第一次修改有限公司", (await admin.GetJsonAsync($"/api/firms/{created.Id()}")).Str("name"));
    }

    [Fact]
    public async Task Deleting_a_firm_archives_it_so_it_leaves_lists_but_is_not_destroyed()
    {
        using var admin = await factory.AdminAsync();
        var created = await admin.CreateFirmAsync(TestData.Firm("上海待归档唯一名称有限公司"));
        Assert.Equal(1, (await admin.GetJsonAsync("/api/firms?q=待归档唯一名称"))["total"]!.GetValue<int>());

        using (var delete = await admin.DeleteAsync($"/api/firms/{created.Id()}"))
        {
            await delete.ExpectAsync(HttpStatusCode.NoContent);
        }

        var list = await admin.GetJsonAsync("/api/firms?q=待归档唯一名称");
        Assert.Equal(0, list["total"]!.GetValue<int>());
        Assert.Empty(list["items"]!.AsArray());
        var all = await admin.GetJsonAsync("/api/firms?pageSize=200");
        Assert.DoesNotContain(all["items"]!.AsArray(), f => f!.Id() == created.Id());

        var archived = await admin.GetJsonAsync($"/api/firms/{created.Id()}");
        Assert.True(archived["isArchived"]!.GetValue<bool>());
        Assert.True(await factory.WithDbAsync(db => db.Firms.AnyAsync(f => f.Id == created.Id())));
    }

    [Fact]
    public async Task Creating_a_firm_with_a_credit_code_already_registered_returns_400_naming_the_credit_code()
    {
        using var admin = await factory.AdminAsync();
        var existing = await admin.CreateFirmAsync();
        var before = await factory.RowCountsAsync();

        var problem = await admin.PostJsonAsync("/api/firms", TestData.Firm(creditCode: existing.Str("creditCode")!.ToLowerInvariant()), HttpStatusCode.BadRequest);

        Assert.Contains(problem.ErrorsFor("creditCode"), m => m.Contains(existing.Id().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task Giving_a_firm_another_firms_credit_code_returns_400()
    {
        using var admin = await factory.AdminAsync();
        var one = await admin.CreateFirmAsync();
        var other = await admin.CreateFirmAsync();
        var problem = await admin.PutJsonAsync($"/api/firms/{other.Id()}", other.Editable().With("creditCode", one.Str("creditCode")), HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("creditCode"));
    }

    [Fact]
    public async Task A_pilot_era_code_that_fails_the_check_is_refused_without_an_override()
    {
        using var admin = await factory.AdminAsync();
        var problem = await admin.PostJsonAsync("/api/firms", TestData.Firm(creditCode: TestData.PilotCode), HttpStatusCode.BadRequest);
        Assert.Contains(problem.ErrorsFor("creditCode"), m => m.Contains("校验位应为", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pilot_era_code_with_an_override_but_no_reason_is_refused()
    {
        using var admin = await factory.AdminAsync();
        var body = TestData.Firm(creditCode: TestData.PilotCode).With("creditCodeOverride", true);
        var problem = await admin.PostJsonAsync("/api/firms", body, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("creditCodeOverrideReason"));
    }

    [Fact]
    public async Task A_pilot_era_code_is_accepted_with_an_override_and_a_reason_which_are_recorded()
    {
        using var admin = await factory.AdminAsync();
        var body = TestData.Firm(creditCode: TestData.PilotCode)
            .With("creditCodeOverride", true)
            .With("creditCodeOverrideReason", "2015年试点期间福建赋码，营业执照原件已核对");
        var firm = await admin.CreateFirmAsync(body);

        Assert.Equal(TestData.PilotCode, firm.Str("creditCode"));
        Assert.True(firm["creditCodeOverride"]!.GetValue<bool>());
        Assert.Equal("2015年试点期间福建赋码，营业执照原件已核对", firm.Str("creditCodeOverrideReason"));
        var audit = await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit");
        Assert.Contains(
            audit.AsArray().SelectMany(a => a!["changes"]!.AsArray()),
            c => c!.Str("field") == "CreditCodeOverrideReason" && c!.Str("new") == "2015年试点期间福建赋码，营业执照原件已核对");
    }

    [Fact]
    public async Task A_real_published_code_is_accepted()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm(creditCode: TestData.RealCode));
        Assert.False(firm["creditCodeOverride"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_prospect_may_have_no_credit_code_but_a_firm_must()
    {
        using var admin = await factory.AdminAsync();
        var problem = await admin.PostJsonAsync("/api/firms", TestData.Firm().With("creditCode", null), HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("creditCode"));

        var prospect = await admin.CreateFirmAsync(TestData.Firm("Contoso Research GmbH").With("creditCode", null).With("isProspect", true));
        Assert.Null(prospect["creditCode"]);
        Assert.True(prospect["isProspect"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Changing_a_firms_status_keeps_a_history_with_effective_dates()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        await admin.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("status", "moved-out"), HttpStatusCode.OK);

        var history = (await admin.GetJsonAsync($"/api/firms/{firm.Id()}/status-changes")).AsArray();
        Assert.Equal(["active", "moved-out"], history.Select(h => h!.Str("status")));
        Assert.Equal("2018-03-01", history[0]!.Str("effectiveOn"));
        Assert.Equal("2026-06-15", history[1]!.Str("effectiveOn"));
    }
}
