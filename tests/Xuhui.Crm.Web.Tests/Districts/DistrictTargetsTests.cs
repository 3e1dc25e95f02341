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

internal static class CitySeed
{
    /// <summary>A firm of <paramref name="district"/> holding an HNTE certificate valid 2025-01-01 … 2027-12-31; its id.</summary>
    public static async Task<long> CertifiedFirmAsync(CrmFactory host, string district, string name)
    {
        return await host.WithDbAsync(async db =>
        {
            var owner = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync();
            var firm = new Firm { Name = name, DistrictCode = district, DistrictName = district };
            firm.StatusChanges.Add(new FirmStatusChange { Status = FirmStatus.Active, EffectiveOn = new DateOnly(2015, 1, 1) });
            var c = new Case
            {
                Firm = firm, Program = "hnte", Stage = "certified", StageSince = new DateOnly(2025, 1, 1), OpenedOn = new DateOnly(2024, 6, 1),
                IsOpen = false, OwnerId = owner, CertificateNumber = "GR2025" + name.GetHashCode().ToString("X8"),
                CertificateIssuedOn = new DateOnly(2025, 1, 1), CertificateExpiresOn = new DateOnly(2027, 12, 31),
            };
            c.Transitions.Add(new CaseTransition { FromStage = null, ToStage = "submitted", On = new DateOnly(2024, 6, 1) });
            c.Transitions.Add(new CaseTransition { FromStage = "submitted", ToStage = "certified", On = new DateOnly(2025, 1, 1) });
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            return firm.Id;
        });
    }

    public static double? Per10k(JsonNode targets) => targets["hntePer10k"]!["per10k"]?.GetValue<double>();

    public static int Firms(JsonNode targets) => targets["hntePer10k"]!["firms"]!.GetValue<int>();
}

/// <summary>City leadership sees the city: HNTE per 10k is Σ certified firms ÷ Σ legal-person counts, with each district's own figures.</summary>
public sealed class DistrictTargetsTests(CityFactory host) : IClassFixture<CityFactory>
{
    [Fact]
    public async Task The_city_figure_is_a_ratio_of_sums_and_each_district_sees_its_own()
    {
        for (var i = 0; i < 3; i++)
        {
            await CitySeed.CertifiedFirmAsync(host, CityFactory.Xuhui, $"徐汇高企{i}");
        }

        await CitySeed.CertifiedFirmAsync(host, CityFactory.Minhang, "闵行高企0");

        // Xuhui's supervisor enters Xuhui's count; the city admin names Minhang's.
        var (_, supervisorA) = await host.UserInAsync("supervisor", CityFactory.Xuhui);
        await supervisorA.PutJsonAsync("/api/statistics/enterprise-legal-persons/2026", new { count = 10_000, source = "徐汇区统计年鉴" }, HttpStatusCode.Created);
        using var admin = await host.AdminAsync();
        var refused = await admin.PutAsJsonAsync("/api/statistics/enterprise-legal-persons/2026", new { count = 40_000, source = "闵行区统计年鉴" });
        Assert.NotEmpty((await refused.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("district"));
        await admin.PutJsonAsync($"/api/statistics/enterprise-legal-persons/2026?district={CityFactory.Minhang}", new { count = 40_000, source = "闵行区统计年鉴" }, HttpStatusCode.Created);

        var (_, viewer) = await host.UserInAsync("city-viewer", null);
        var city = await viewer.GetJsonAsync("/api/targets?asOf=2026-06-15");
        Assert.Equal("310000", city.Str("district"));
        Assert.Equal(4, CitySeed.Firms(city));
        Assert.Equal(50_000, city["hntePer10k"]!["legalPersons"]!["count"]!.GetValue<int>());
        // (3 + 1) ÷ (10,000 + 40,000) × 10,000 = 0.8; the average of 3.0 and 0.25 would be 1.625.
        Assert.Equal(0.8, CitySeed.Per10k(city));
        Assert.Equal(0.8, city["city"]!["hntePer10k"]!.GetValue<double>());
        var rows = city["city"]!["districts"]!.AsArray().ToDictionary(r => r.Str("district")!, r => r!);
        Assert.Equal(3.0, rows[CityFactory.Xuhui]["hntePer10k"]!.GetValue<double>());
        Assert.Equal(0.25, rows[CityFactory.Minhang]["hntePer10k"]!.GetValue<double>());
        Assert.Equal("闵行区", rows[CityFactory.Minhang].Str("districtName"));

        var xuhui = await supervisorA.GetJsonAsync("/api/targets?asOf=2026-06-15");
        Assert.Equal(CityFactory.Xuhui, xuhui.Str("district"));
        Assert.Equal(3, CitySeed.Firms(xuhui));
        Assert.Equal(3.0, CitySeed.Per10k(xuhui));
        Assert.Null(xuhui["city"]);

        var minhang = await viewer.GetJsonAsync($"/api/targets?asOf=2026-06-15&district={CityFactory.Minhang}");
        Assert.Equal(1, CitySeed.Firms(minhang));
        Assert.Equal(0.25, CitySeed.Per10k(minhang));

        using var foreign = await supervisorA.GetAsync($"/api/targets?district={CityFactory.Minhang}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        // The legal-person list of a district supervisor holds only their district's row.
        var list = (await supervisorA.GetJsonAsync("/api/statistics/enterprise-legal-persons")).AsArray();
        Assert.Equal([CityFactory.Xuhui], list.Select(r => r.Str("district")).ToList());
    }
}

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

/// <summary>Jobs run per district: each officer's digest speaks of their district only; snapshots exist per district and for the city.</summary>
public sealed class DistrictJobTests(CityFactory host) : IClassFixture<CityFactory>
{
    [Fact]
    public async Task Digests_and_month_end_snapshots_run_per_district()
    {
        var (officerA, clientA) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (officerB, clientB) = await host.UserInAsync("officer", CityFactory.Minhang);
        var firmA = await clientA.CreateFirmAsync(TestData.Firm("徐汇摘要测试有限公司"));
        var firmB = await clientB.CreateFirmAsync(TestData.Firm("闵行摘要测试有限公司").With("zone", "zizhu-hi-tech-zone"));
        foreach (var (client, firm) in new[] { (clientA, firmA), (clientB, firmB) })
        {
            await client.PostJsonAsync(
                "/api/visits",
                new { firmId = firm.Id(), kind = "on-site", on = "2026-06-01", summary = "走访", followUps = new[] { new { title = "逾期跟进" + firm.Str("name"), dueOn = "2026-06-10" } } },
                HttpStatusCode.Created);
        }

        var digest = await host.WithDbAsync((db, sp) => sp.GetRequiredService<DigestComposer>().ComposeAsync(new DateOnly(2026, 6, 15), CancellationToken.None));
        Assert.True(digest.Queued >= 2, $"queued {digest.Queued}");
        var bodies = await host.WithDbAsync(async db => (await db.Outbox.AsNoTracking().Where(m => m.Kind == DigestComposer.OutboxKind).ToListAsync())
            .ToDictionary(m => m.RecipientUserId!.Value, m => MimeMessage.Load(new MemoryStream(m.Mime)).TextBody));
        Assert.Contains("徐汇摘要测试有限公司", bodies[officerA.Id]);
        Assert.DoesNotContain("闵行摘要测试有限公司", bodies[officerA.Id]);
        Assert.Contains("闵行摘要测试有限公司", bodies[officerB.Id]);
        Assert.DoesNotContain("徐汇摘要测试有限公司", bodies[officerB.Id]);

        var message = await host.WithDbAsync((db, sp) => ReportSchedule.RunMonthEndSnapshotAsync(
            sp.GetRequiredService<MonthlySnapshots>(), new DateOnly(2026, 6, 1), CancellationToken.None, sp.GetRequiredService<DistrictRuns>()));
        Assert.Contains("全市", message);
        var snapshots = await host.WithDbAsync(db => db.MonthlySnapshots.IgnoreQueryFilters().Where(s => s.Month == "2026-05")
            .Select(s => s.DistrictCode).OrderBy(c => c).ToListAsync());
        Assert.Equal(["310000", CityFactory.Xuhui, CityFactory.Minhang], snapshots);

        // A re-fired trigger adds nothing.
        await host.WithDbAsync((db, sp) => ReportSchedule.RunMonthEndSnapshotAsync(
            sp.GetRequiredService<MonthlySnapshots>(), new DateOnly(2026, 6, 1), CancellationToken.None, sp.GetRequiredService<DistrictRuns>()));
        Assert.Equal(3, await host.WithDbAsync(db => db.MonthlySnapshots.IgnoreQueryFilters().CountAsync(s => s.Month == "2026-05")));

        // Each district reads its own frozen report; the city viewer reads the city's or names a district.
        var reportA = await clientA.GetJsonAsync("/api/reports/monthly/2026-05");
        Assert.True(reportA["frozen"]!.GetValue<bool>());
        Assert.Equal(CityFactory.Xuhui, reportA["targets"].Str("district"));
        var (_, viewer) = await host.UserInAsync("city-viewer", null);
        Assert.Equal("310000", (await viewer.GetJsonAsync("/api/reports/monthly/2026-05"))["targets"].Str("district"));
        Assert.Equal(CityFactory.Minhang, (await viewer.GetJsonAsync($"/api/reports/monthly/2026-05?district={CityFactory.Minhang}"))["targets"].Str("district"));
        using var foreign = await clientA.GetAsync($"/api/reports/monthly/2026-05?district={CityFactory.Minhang}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        // The running month's live report counts the district's own visits only.
        var liveA = await clientA.GetJsonAsync("/api/reports/monthly/2026-06");
        Assert.Equal(1, liveA["visits"]!["visits"]!.GetValue<int>());
        var liveCity = await viewer.GetJsonAsync("/api/reports/monthly/2026-06");
        Assert.Equal(2, liveCity["visits"]!["visits"]!.GetValue<int>());
    }
}

/// <summary>The default deployment: one district, nobody filtered, a transfer refused with a plain reason.</summary>
public sealed class SingleDistrictTests(CrmFactory host) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Users_and_firms_belong_to_the_deployments_district_and_a_transfer_is_refused()
    {
        var (user, officer) = await host.UserAndClientAsync("officer");
        using var admin = await host.AdminAsync();
        Assert.Equal(CityFactory.Xuhui, (await admin.GetJsonAsync($"/api/users/{user.Id}")).Str("district"));
        Assert.Equal(CityFactory.Xuhui, (await admin.GetJsonAsync("/api/auth/me")).Str("district"));
        var firm = await officer.CreateFirmAsync();
        Assert.Equal(CityFactory.Xuhui, firm.Str("district"));
        using var transfer = await admin.PostAsJsonAsync($"/api/firms/{firm.Id()}/transfer", new { toDistrict = CityFactory.Minhang, version = firm.Version() });
        Assert.Equal(HttpStatusCode.Conflict, transfer.StatusCode);
        Assert.Equal(CityFactory.Xuhui, (await officer.GetJsonAsync($"/api/firms/{firm.Id()}")).Str("district"));
    }

    [Fact]
    public async Task The_deployments_zones_are_offered_and_accepted_as_before_and_no_other_districts()
    {
        var (_, officer) = await host.UserAndClientAsync("officer");
        var zones = (await officer.GetJsonAsync("/api/reference"))["zones"]!.AsArray();
        Assert.Equal(
            ["xujiahui-hengfu-fenglin", "xuhui-riverside", "caohejing", "riverside-innovation-belt", "caohejing-huajing-belt", "central-axis-belt"],
            zones.Select(z => z.Str("code")));

        // The server decides the firm's district: another district in the body is refused naming it, and the zone is
        // checked against the deployment's district.
        using var otherDistrict = await officer.PostAsJsonAsync("/api/firms", TestData.Firm().With("district", CityFactory.Minhang).With("zone", "caohejing"));
        Assert.NotEmpty((await otherDistrict.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("district"));
        var firm = await officer.CreateFirmAsync(TestData.Firm().With("zone", "caohejing"));
        Assert.Equal("caohejing", firm.Str("zone"));
        Assert.Equal(CityFactory.Xuhui, firm.Str("district"));
        using var minhangZone = await officer.PostAsJsonAsync("/api/firms", TestData.Firm().With("zone", "zizhu-hi-tech-zone"));
        Assert.NotEmpty((await minhangZone.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("zone"));
    }
}

/// <summary>The single-district hot paths pay nothing: with no scope EF compiles the district predicate out of the SQL.</summary>
public sealed class DistrictFilterSqlTests
{
    [Fact]
    public void Without_a_scope_the_sql_has_no_district_predicate_and_with_one_it_has()
    {
        using var db = new CrmDbContext(DatabaseSetup.Options(Web.Shared.DatabaseProvider.Sqlite, "Data Source=:memory:"));
        var unscoped = db.Cases.Where(c => c.Program == "hnte").ToQueryString();
        Assert.DoesNotContain("DistrictCode", unscoped);
        Assert.DoesNotContain("Firms", unscoped);
        Assert.DoesNotContain("\"DistrictCode\" = @", db.Firms.Where(f => f.Name == "x").ToQueryString());

        db.District = CityFactory.Minhang;
        var scoped = db.Cases.Where(c => c.Program == "hnte").ToQueryString();
        Assert.Contains("EXISTS", scoped);
        Assert.Contains("\"DistrictCode\" = @", scoped);
        Assert.Contains("\"DistrictCode\" = @", db.Firms.Where(f => f.Name == "x").ToQueryString());
    }
}
