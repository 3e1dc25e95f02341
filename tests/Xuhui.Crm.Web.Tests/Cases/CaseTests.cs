using System.Net;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Cases;

public sealed class CaseTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Creating_a_case_returns_201_and_records_the_opening_stage_in_its_history()
    {
        var (officer, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            var firm = await client.CreateFirmAsync();
            var created = await client.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program = "hnte", stage = "nurturing", ownerId = officer.Id }, HttpStatusCode.Created);
            Assert.Equal("hnte", created.Str("program"));
            Assert.Equal("nurturing", created.Str("stage"));
            Assert.True(created["isOpen"]!.GetValue<bool>());
            Assert.Equal(officer.Id, created["ownerId"]!.GetValue<long>());

            var fetched = await client.GetJsonAsync($"/api/cases/{created.Id()}");
            Assert.Contains(fetched["history"]!.AsArray(), t => t!.Str("toStage") == "nurturing");
            var listed = await client.GetJsonAsync($"/api/cases?program=hnte&ownerId={officer.Id}&open=true");
            Assert.Contains(listed["items"]!.AsArray(), c => c!.Id() == created.Id());
        }
    }

    [Fact]
    public async Task An_allowed_transition_moves_the_case_and_is_recorded_with_who_when_and_note()
    {
        using var admin = await factory.AdminAsync();
        var (firm, created) = await NewCaseAsync(admin, "hnte", "nurturing");
        var moved = await admin.PostJsonAsync(
            $"/api/cases/{created.Id()}/transitions",
            new { fromStage = "nurturing", toStage = "preparing", on = "2026-06-14", note = "材料齐备" },
            HttpStatusCode.OK);

        Assert.Equal("preparing", moved.Str("stage"));
        Assert.Equal("2026-06-14", moved.Str("stageSince"));
        var history = (await admin.GetJsonAsync($"/api/cases/{created.Id()}"))["history"]!.AsArray();
        var last = history.Single(t => t!.Str("toStage") == "preparing")!;
        Assert.Equal("nurturing", last.Str("fromStage"));
        Assert.Equal("2026-06-14", last.Str("on"));
        Assert.Equal("材料齐备", last.Str("note"));
        Assert.NotNull(last["byId"]);
        Assert.Contains((await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit")).AsArray(), a => a!.Str("entityType") == "Case");
    }

    [Fact]
    public async Task A_stale_transition_returns_409_with_the_current_case_naming_both_stages()
    {
        using var admin = await factory.AdminAsync();
        var (_, created) = await NewCaseAsync(admin, "hnte", "nurturing");
        await admin.PostJsonAsync($"/api/cases/{created.Id()}/transitions", new { fromStage = "nurturing", toStage = "preparing" }, HttpStatusCode.OK);

        var before = await factory.RowCountsAsync();
        var conflict = await admin.PostJsonAsync($"/api/cases/{created.Id()}/transitions", new { fromStage = "nurturing", toStage = "preparing" }, HttpStatusCode.Conflict);
        Assert.Equal("preparing", conflict["current"]!.Str("stage"));
        Assert.Contains("preparing", conflict.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("nurturing", conflict.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task A_forbidden_transition_returns_400_naming_both_stages_and_writes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var (_, created) = await NewCaseAsync(admin, "hnte", "nurturing");
        var before = await factory.RowCountsAsync();

        var problem = await admin.PostJsonAsync($"/api/cases/{created.Id()}/transitions", new { fromStage = "nurturing", toStage = "certified" }, HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.ErrorsFor("toStage"));
        Assert.Contains("培育", message, StringComparison.Ordinal);
        Assert.Contains("已认定", message, StringComparison.Ordinal);
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task A_firm_has_at_most_one_open_case_per_programme_but_may_have_one_in_each()
    {
        using var admin = await factory.AdminAsync();
        var (firm, first) = await NewCaseAsync(admin, "hnte", "lead");
        var before = await factory.RowCountsAsync();
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program = "hnte", stage = "nurturing" }, HttpStatusCode.Conflict);
        Assert.Equal(before, await factory.RowCountsAsync());
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program = "pre-ipo", stage = "reserve" }, HttpStatusCode.Created);

        // Once the first case ends, a new one may open (re-certification).
        await admin.PostJsonAsync($"/api/cases/{first.Id()}/transitions", new { fromStage = "lead", toStage = "withdrawn" }, HttpStatusCode.OK);
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program = "hnte", stage = "nurturing" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_unknown_programme_or_initial_stage_returns_400()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var problem = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program = "moonshot", stage = "lead" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("program"));
        problem = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program = "hnte", stage = "expired" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("stage"));
    }

    [Fact]
    public async Task An_hnte_certificate_expires_by_default_the_day_before_its_third_anniversary()
    {
        using var admin = await factory.AdminAsync();
        var (_, created) = await NewCaseAsync(admin, "hnte", "submitted");
        var withCert = await admin.PutJsonAsync(
            $"/api/cases/{created.Id()}/certificate",
            new { version = created.Version(), number = "GR202631000123", issuedOn = "2026-02-28" },
            HttpStatusCode.OK);
        Assert.Equal("GR202631000123", withCert.Str("certificateNumber"));
        Assert.Equal("2026-02-28", withCert.Str("certificateIssuedOn"));
        Assert.Equal("2029-02-27", withCert.Str("certificateExpiresOn"));

        // The printed certificate wins: the expiry is editable.
        var edited = await admin.PutJsonAsync(
            $"/api/cases/{created.Id()}/certificate",
            new { version = withCert.Version(), number = "GR202631000123", issuedOn = "2026-02-28", expiresOn = "2029-02-28" },
            HttpStatusCode.OK);
        Assert.Equal("2029-02-28", edited.Str("certificateExpiresOn"));
    }

    [Fact]
    public async Task A_certificate_put_with_a_stale_version_returns_409_with_the_current_case()
    {
        using var admin = await factory.AdminAsync();
        var (_, created) = await NewCaseAsync(admin, "hnte", "submitted");
        await admin.PutJsonAsync($"/api/cases/{created.Id()}/certificate", new { version = created.Version(), number = "GR1", issuedOn = "2026-01-10" }, HttpStatusCode.OK);
        var before = await factory.RowCountsAsync();
        var conflict = await admin.PutJsonAsync($"/api/cases/{created.Id()}/certificate", new { version = created.Version(), number = "GR2", issuedOn = "2026-01-11" }, HttpStatusCode.Conflict);
        Assert.Equal("GR1", conflict["current"]!.Str("certificateNumber"));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task An_officer_gets_403_moving_a_case_they_do_not_own()
    {
        using var admin = await factory.AdminAsync();
        var (_, created) = await NewCaseAsync(admin, "little-giant", "lead");
        var (_, other) = await factory.UserAndClientAsync(Roles.Officer);
        using (other)
        {
            await other.PostJsonAsync($"/api/cases/{created.Id()}/transitions", new { fromStage = "lead", toStage = "nurturing" }, HttpStatusCode.Forbidden);
        }
    }

    private async Task<(System.Text.Json.Nodes.JsonNode Firm, System.Text.Json.Nodes.JsonNode Case)> NewCaseAsync(HttpClient admin, string program, string stage)
    {
        var owner = await factory.CreateUserAsync(Roles.Officer);
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", owner.Id));
        var created = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program, stage, ownerId = owner.Id, on = "2026-06-01" }, HttpStatusCode.Created);
        return (firm, created);
    }
}
