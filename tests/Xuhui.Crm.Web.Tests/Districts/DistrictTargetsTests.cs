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
