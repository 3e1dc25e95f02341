using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Districts;

/// <summary>
/// Zones lie in a district, past months are reported by the district a firm was in then, and a merged firm's old id
/// points only readers who can see the survivor to it. One city host for the three: none adds cases or visits to
/// another's months.
/// </summary>
public sealed partial class DistrictHistoryTests(CityFactory host) : IClassFixture<CityFactory>
{
    private CityFactory Host => host;

    private const string Pudong = "310115";
    private const string Huangpu = "310101";
    private static readonly string[] XuhuiZones =
        ["xujiahui-hengfu-fenglin", "xuhui-riverside", "caohejing", "riverside-innovation-belt", "caohejing-huajing-belt", "central-axis-belt"];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();

    private static List<(string Code, string District)> Zones(JsonNode reference) =>
        reference["zones"]!.AsArray().Select(z => (z.Str("code")!, z.Str("district")!)).ToList();

    [Fact]
    public async Task Each_district_sees_and_may_use_only_its_own_zones()
    {
        var (_, officerA) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (_, officerB) = await host.UserInAsync("officer", CityFactory.Minhang);
        var (_, viewer) = await host.UserInAsync("city-viewer", null);
        using var admin = await host.AdminAsync();

        var xuhui = Zones(await officerA.GetJsonAsync("/api/reference"));
        Assert.Equal(XuhuiZones, xuhui.Select(z => z.Code));
        Assert.All(xuhui, z => Assert.Equal(CityFactory.Xuhui, z.District));
        var minhang = Zones(await officerB.GetJsonAsync("/api/reference"));
        Assert.Equal(["zizhu-hi-tech-zone", "greater-neo-bay"], minhang.Select(z => z.Code));
        Assert.All(minhang, z => Assert.Equal(CityFactory.Minhang, z.District));
        var city = Zones(await viewer.GetJsonAsync("/api/reference"));
        Assert.Contains(("zhangjiang-science-city", Pudong), city);
        Assert.Superset(xuhui.Concat(minhang).ToHashSet(), city.ToHashSet());

        // A Minhang firm cannot lie in 漕河泾 (Xuhui's), on create or update; a zone of its own is fine.
        using (var wrong = await officerB.PostAsJsonAsync("/api/firms", TestData.Firm("闵行错区科技有限公司").With("zone", "caohejing")))
        {
            var errors = (await wrong.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("zone");
            Assert.Contains(errors, e => e.Contains("紫竹高新技术产业开发区", StringComparison.Ordinal));
        }

        var firmB = await officerB.CreateFirmAsync(TestData.Firm("闵行紫竹科技有限公司").With("zone", "zizhu-hi-tech-zone"));
        Assert.Equal("zizhu-hi-tech-zone", firmB.Str("zone"));
        using (var put = await officerB.PutAsJsonAsync($"/api/firms/{firmB.Id()}", firmB.Editable().With("zone", "xuhui-riverside")))
        {
            Assert.NotEmpty((await put.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("zone"));
        }

        using (var foreignZone = await officerA.PostAsJsonAsync("/api/firms", TestData.Firm("徐汇错区科技有限公司").With("zone", "zizhu-hi-tech-zone")))
        {
            Assert.NotEmpty((await foreignZone.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("zone"));
        }

        // The city admin names the district: the zone must be that district's; a district without zones takes none.
        await admin.PostJsonAsync(
            "/api/firms", TestData.Firm("浦东张江科技有限公司").With("district", Pudong).With("zone", "zhangjiang-science-city"), HttpStatusCode.Created);
        using (var pudongWrong = await admin.PostAsJsonAsync("/api/firms", TestData.Firm("浦东错区科技有限公司").With("district", Pudong).With("zone", "caohejing")))
        {
            Assert.NotEmpty((await pudongWrong.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("zone"));
        }

        using (var huangpu = await admin.PostAsJsonAsync("/api/firms", TestData.Firm("黄浦无园区科技有限公司").With("district", Huangpu).With("zone", "caohejing")))
        {
            Assert.Contains((await huangpu.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("zone"), e => e.Contains("未设功能区", StringComparison.Ordinal));
        }

        var noZone = await admin.PostJsonAsync("/api/firms", TestData.Firm("黄浦无园区科技有限公司").With("district", Huangpu).With("zone", null), HttpStatusCode.Created);
        Assert.Null(noZone["zone"]);
    }

    [Fact]
    public async Task The_firm_pages_offer_the_districts_zones()
    {
        var (officer, client) = await host.UserInAsync("officer", CityFactory.Minhang);
        var firm = await client.CreateFirmAsync(TestData.Firm("闵行页面科技有限公司").With("zone", "greater-neo-bay"));
        var (viewer, _) = await host.UserInAsync("city-viewer", null);

        using var minhang = await PagesAsync(officer);
        foreach (var url in new[] { "/firms/new", $"/firms/{firm.Id()}/edit", "/firms" })
        {
            var page = await minhang.GetStringAsync(url);
            Assert.Contains("紫竹高新技术产业开发区", page);
            Assert.DoesNotContain("漕河泾开发区增长极", page);
        }

        using var city = await PagesAsync(viewer);
        var list = await city.GetStringAsync("/firms");
        Assert.Contains("张江科学城 · 浦东新区", list);
        Assert.Contains("漕河泾开发区增长极 · 徐汇区", list);
    }

    private async Task<HttpClient> PagesAsync(TestUser user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync("/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user.UserName, ["Password"] = user.Password, ["__RequestVerificationToken"] = Csrf().Match(login).Groups[1].Value,
        });
        using var response = await client.PostAsync("/login", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
