using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Features.Outbox;

namespace Xuhui.Crm.Web.Tests.Districts;

/// <summary>A transfer moves the firm with everything hanging off it; as-of counts put it on the old side before the date, the new side from it.</summary>
public sealed class DistrictTransferTests(CityFactory host) : IClassFixture<CityFactory>
{
    [Fact]
    public async Task A_transfer_moves_the_firm_with_its_history_and_the_counts_change_sides_on_the_date()
    {
        var (officerA, clientA) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (_, supervisorA) = await host.UserInAsync("supervisor", CityFactory.Xuhui);
        var (officerB, clientB) = await host.UserInAsync("officer", CityFactory.Minhang);
        var (_, supervisorB) = await host.UserInAsync("supervisor", CityFactory.Minhang);

        var firmId = await CitySeed.CertifiedFirmAsync(host, CityFactory.Xuhui, "迁移测试科技有限公司");
        await host.WithDbAsync(async db =>
        {
            var firm = await db.Firms.SingleAsync(f => f.Id == firmId);
            firm.LeadOfficerId = officerA.Id;
            firm.DistrictName = "徐汇区";
            await db.SaveChangesAsync();
        });
        var ipo = await clientA.PostJsonAsync($"/api/firms/{firmId}/cases", new { program = "pre-ipo", stage = "reserve" }, HttpStatusCode.Created);
        var visit = await clientA.PostJsonAsync(
            "/api/visits",
            new { firmId, kind = "on-site", on = "2026-05-20", summary = "上市辅导沟通", followUps = new[] { new { title = "整理股改材料", dueOn = "2026-06-30" } } },
            HttpStatusCode.Created);
        var contact = await clientA.PostJsonAsync($"/api/firms/{firmId}/contacts", new { name = "李董秘", phone = "13900139000" }, HttpStatusCode.Created);
        var version = (await clientA.GetJsonAsync($"/api/firms/{firmId}")).Version();

        // Minhang's supervisor does not see the firm; Xuhui's must name who takes the open work; bad input names the field.
        using (var notTheirs = await supervisorB.PostAsJsonAsync($"/api/firms/{firmId}/transfer", new { toDistrict = CityFactory.Minhang, leadOfficerId = officerB.Id, version }))
        {
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        }

        using (var noLead = await supervisorA.PostAsJsonAsync($"/api/firms/{firmId}/transfer", new { toDistrict = CityFactory.Minhang, effectiveOn = "2026-06-01", version }))
        {
            Assert.NotEmpty((await noLead.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("leadOfficerId"));
        }

        using (var wrongLead = await supervisorA.PostAsJsonAsync($"/api/firms/{firmId}/transfer", new { toDistrict = CityFactory.Minhang, leadOfficerId = officerA.Id, version }))
        {
            Assert.NotEmpty((await wrongLead.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("leadOfficerId"));
        }

        using (var unknown = await supervisorA.PostAsJsonAsync($"/api/firms/{firmId}/transfer", new { toDistrict = "999999", leadOfficerId = officerB.Id, version }))
        {
            Assert.NotEmpty((await unknown.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("toDistrict"));
        }

        using (var stale = await supervisorA.PostAsJsonAsync($"/api/firms/{firmId}/transfer", new { toDistrict = CityFactory.Minhang, leadOfficerId = officerB.Id, version = version - 1 }))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        }

        var before = await host.RowCountsAsync();
        var moved = await supervisorA.PostJsonAsync(
            $"/api/firms/{firmId}/transfer",
            new { toDistrict = CityFactory.Minhang, effectiveOn = "2026-06-01", leadOfficerId = officerB.Id, note = "注册地迁至闵行", version },
            HttpStatusCode.OK);
        Assert.Equal(CityFactory.Xuhui, moved.Str("fromDistrict"));
        Assert.True(moved["casesReassigned"]!.GetValue<int>() >= 1);
        Assert.Equal(1, moved["tasksReassigned"]!.GetValue<int>());
        var after = await host.RowCountsAsync();
        // Nothing is copied or deleted: the firm's rows stay where they are; only the history gains moved-out and moved-in.
        Assert.Equal(before["Cases"], after["Cases"]);
        Assert.Equal(before["Visits"], after["Visits"]);
        Assert.Equal(before["Contacts"], after["Contacts"]);
        Assert.Equal(before["FirmStatusChanges"] + 2, after["FirmStatusChanges"]);

        // The old district no longer sees it; the new one sees the firm, its cases, visit, task, contact and history.
        using (var gone = await clientA.GetAsync($"/api/firms/{firmId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        var firm = await clientB.GetJsonAsync($"/api/firms/{firmId}");
        Assert.Equal(CityFactory.Minhang, firm.Str("district"));
        Assert.Equal("闵行区", firm.Str("districtName"));
        Assert.Equal(officerB.Id, firm["leadOfficerId"]!.GetValue<long>());
        Assert.Equal("moved-in", firm.Str("status"));
        var cases = (await clientB.GetJsonAsync($"/api/firms/{firmId}/cases")).AsArray();
        Assert.Equal(2, cases.Count);
        Assert.Equal(officerB.Id, (await clientB.GetJsonAsync($"/api/cases/{ipo.Id()}"))["ownerId"]!.GetValue<long>());
        Assert.Equal(firmId, (await clientB.GetJsonAsync($"/api/visits/{visit.Id()}"))["firmId"]!.GetValue<long>());
        var task = (await clientB.GetJsonAsync($"/api/tasks?firmId={firmId}"))["items"]!.AsArray().Single()!;
        Assert.Equal(officerB.Id, task["assigneeId"]!.GetValue<long>());
        Assert.Equal("13900139000", (await clientB.GetJsonAsync($"/api/contacts/{contact.Id()}")).Str("phone"));
        var audit = (await clientB.GetJsonAsync($"/api/firms/{firmId}/audit")).AsArray();
        Assert.Contains(audit, e => e!["changes"]!.AsArray().Any(c => c.Str("field") == "DistrictCode" && c.Str("old") == CityFactory.Xuhui && c.Str("new") == CityFactory.Minhang));
        Assert.Contains(audit, e => e.Str("entityType") == "Visit");
        var history = (await clientB.GetJsonAsync($"/api/firms/{firmId}/status-changes")).AsArray();
        Assert.Equal(["moved-out", "moved-in"], history.Where(h => h.Str("effectiveOn") == "2026-06-01").Select(h => h.Str("status")).ToList());

        // As-of counts: Xuhui's until 31 May, Minhang's from 1 June; the city's on both days.
        using var admin = await host.AdminAsync();
        async Task<int> Count(string? district, string asOf) =>
            CitySeed.Firms(await admin.GetJsonAsync($"/api/targets?asOf={asOf}" + (district is null ? string.Empty : $"&district={district}")));
        Assert.Equal(1, await Count(CityFactory.Xuhui, "2026-05-31"));
        Assert.Equal(0, await Count(CityFactory.Minhang, "2026-05-31"));
        Assert.Equal(0, await Count(CityFactory.Xuhui, "2026-06-01"));
        Assert.Equal(1, await Count(CityFactory.Minhang, "2026-06-01"));
        Assert.Equal(1, await Count(null, "2026-05-31"));
        Assert.Equal(1, await Count(null, "2026-06-01"));
        // The district users see the same on their own dashboards.
        Assert.Equal(1, CitySeed.Firms(await supervisorA.GetJsonAsync("/api/targets?asOf=2026-05-31")));
        Assert.Equal(0, CitySeed.Firms(await supervisorA.GetJsonAsync("/api/targets?asOf=2026-06-15")));
        Assert.Equal(1, CitySeed.Firms(await clientB.GetJsonAsync("/api/targets?asOf=2026-06-15")));
        _ = officerA;
    }

    [Fact]
    public async Task A_put_cannot_move_a_firm_to_another_district()
    {
        var (_, supervisorA) = await host.UserInAsync("supervisor", CityFactory.Xuhui);
        var firm = await supervisorA.CreateFirmAsync();
        var body = firm.Editable().With("district", CityFactory.Minhang);
        using var put = await supervisorA.PutAsJsonAsync($"/api/firms/{firm.Id()}", body);
        Assert.NotEmpty((await put.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("district"));
        Assert.Equal(CityFactory.Xuhui, (await supervisorA.GetJsonAsync($"/api/firms/{firm.Id()}")).Str("district"));
    }
}
