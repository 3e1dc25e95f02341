using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Tests.Districts;
using Xuhui.Crm.Web.Tests.Imports;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>A deployment for Jing'an (one district, not the default Xuhui): its firms are Jing'an's, whatever a client sends.</summary>
public sealed class JinganFactory : CrmFactory
{
    public const string Jingan = "310106";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Crm:District", Jingan)];
}

/// <summary>The server decides a firm's district and its name; a PUT never changes either (a transfer does).</summary>
public sealed class FirmDistrictTests(JinganFactory factory) : IClassFixture<JinganFactory>
{
    private static System.Text.Json.Nodes.JsonObject JinganFirm() => TestData.Firm().With("zone", "shibei-hi-tech-park");

    [Theory]
    [InlineData(null, null)]
    [InlineData(JinganFactory.Jingan, "伪造区")]
    [InlineData(null, "伪造区")]
    public async Task A_new_firm_is_in_the_deployments_district_with_the_reference_name(string? district, string? districtName)
    {
        using var admin = await factory.AdminAsync();
        var body = JinganFirm();
        if (district is not null)
        {
            body = body.With("district", district);
        }

        if (districtName is not null)
        {
            body = body.With("districtName", districtName);
        }

        var firm = await admin.CreateFirmAsync(body);
        Assert.Equal(JinganFactory.Jingan, firm.Str("district"));
        Assert.Equal("静安区", firm.Str("districtName"));
        Assert.Equal("静安区", (await admin.GetJsonAsync($"/api/firms/{firm.Id()}")).Str("districtName"));
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("310104")]
    [InlineData("310112")]
    [InlineData("")]
    [InlineData("31010")]
    public async Task Another_district_on_create_is_400_naming_district_and_writes_nothing(string district)
    {
        using var admin = await factory.AdminAsync();
        var before = await factory.RowCountsAsync();
        var problem = await admin.PostJsonAsync("/api/firms", JinganFirm().With("district", district).With("districtName", "伪造区"), HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("district"));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task A_put_cannot_change_the_district_or_relabel_it_and_may_leave_it_out()
    {
        var (_, officer) = await factory.UserAndClientAsync("officer");
        using (officer)
        {
            var firm = await officer.CreateFirmAsync(JinganFirm());
            var before = await factory.RowCountsAsync();
            foreach (var other in new[] { "999999", "310104", "310101" })
            {
                var problem = await officer.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("district", other), HttpStatusCode.BadRequest);
                Assert.NotEmpty(problem.ErrorsFor("district"));
            }

            Assert.Equal(before, await factory.RowCountsAsync());

            var relabelled = await officer.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("districtName", "伪造区").With("headcount", 140), HttpStatusCode.OK);
            Assert.Equal("静安区", relabelled.Str("districtName"));
            var omitted = relabelled.Editable();
            omitted.Remove("district");
            omitted.Remove("districtName");
            var saved = await officer.PutJsonAsync($"/api/firms/{firm.Id()}", omitted.With("headcount", 150), HttpStatusCode.OK);
            Assert.Equal(JinganFactory.Jingan, saved.Str("district"));
            Assert.Equal("静安区", saved.Str("districtName"));
            Assert.Equal(150, saved["headcount"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task An_imported_firm_is_in_the_deployments_district()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        var file = ImportFiles.Csv([["企业名称", "统一社会信用代码"], ["上海静安导入科技有限公司", code]]);
        using var response = await admin.UploadAsync(file, "firms.csv");
        await response.ExpectAsync(HttpStatusCode.OK);
        var row = await factory.WithDbAsync(db => db.Firms.AsNoTracking().Where(f => f.CreditCode == code).Select(f => new { f.DistrictCode, f.DistrictName }).SingleAsync());
        Assert.Equal(JinganFactory.Jingan, row.DistrictCode);
        Assert.Equal("静安区", row.DistrictName);
    }
}

/// <summary>With several districts: a district user's firm is in their district; a city admin names a known one.</summary>
public sealed class CityFirmDistrictTests(CityFactory host) : IClassFixture<CityFactory>
{
    [Fact]
    public async Task A_city_admin_must_name_a_known_district_and_the_name_comes_from_the_reference_list()
    {
        using var city = await host.AdminAsync();
        var before = await host.RowCountsAsync();
        foreach (var body in new[]
        {
            TestData.Firm().With("zone", null),
            TestData.Firm().With("zone", null).With("district", "999999").With("districtName", "伪造区"),
            TestData.Firm().With("zone", null).With("district", "310000"),
        })
        {
            var problem = await city.PostJsonAsync("/api/firms", body, HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.ErrorsFor("district"));
        }

        Assert.Equal(before, await host.RowCountsAsync());
        var firm = await city.CreateFirmAsync(TestData.Firm().With("zone", null).With("district", CityFactory.Minhang).With("districtName", "伪造区"));
        Assert.Equal(CityFactory.Minhang, firm.Str("district"));
        Assert.Equal("闵行区", firm.Str("districtName"));

        var relabel = await city.PutJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("districtName", "伪造区"), HttpStatusCode.OK);
        Assert.Equal("闵行区", relabel.Str("districtName"));
        var move = await city.PutJsonAsync($"/api/firms/{firm.Id()}", relabel.Editable().With("district", CityFactory.Xuhui), HttpStatusCode.BadRequest);
        Assert.NotEmpty(move.ErrorsFor("district"));
        Assert.Equal(CityFactory.Minhang, (await city.GetJsonAsync($"/api/firms/{firm.Id()}")).Str("district"));
    }

    [Fact]
    public async Task A_district_user_registers_firms_in_their_own_district_only()
    {
        var (_, officer) = await host.UserInAsync("officer", CityFactory.Minhang);
        using (officer)
        {
            var before = await host.RowCountsAsync();
            var problem = await officer.PostJsonAsync("/api/firms", TestData.Firm().With("zone", null).With("district", CityFactory.Xuhui), HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.ErrorsFor("district"));
            Assert.Equal(before, await host.RowCountsAsync());

            var firm = await officer.CreateFirmAsync(TestData.Firm().With("zone", null).With("districtName", "伪造区"));
            Assert.Equal(CityFactory.Minhang, firm.Str("district"));
            Assert.Equal("闵行区", firm.Str("districtName"));
        }
    }
}
