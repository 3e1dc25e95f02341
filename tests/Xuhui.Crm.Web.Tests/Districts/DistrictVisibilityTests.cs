using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Districts;

/// <summary>A city deployment: several districts in one system (Crm:MultiDistrict), the first admin city-wide.</summary>
public class CityFactory : CrmFactory
{
    public const string Xuhui = "310104";
    public const string Minhang = "310112";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Crm:MultiDistrict", "true")];

    /// <summary>A user of <paramref name="role"/> in <paramref name="district"/> (null: city-wide), created by the city admin.</summary>
    public async Task<(TestUser User, HttpClient Client)> UserInAsync(string role, string? district)
    {
        var userName = $"{role}-{district ?? "city"}-{Guid.NewGuid():N}"[..30];
        var password = "Pw-" + Guid.NewGuid().ToString("N")[..12] + "9a";
        using var admin = await AdminAsync();
        var created = await admin.PostJsonAsync(
            "/api/users",
            new { userName, displayName = $"{role}{district}", email = $"{userName}@example.test", role, password, district },
            HttpStatusCode.Created);
        Assert.Equal(district, created.Str("district"));
        var user = new TestUser(created.Id(), userName, password, role);
        return (user, await ClientForAsync(user));
    }
}

/// <summary>
/// An officer of one district can neither see nor find another district's firm, by any road (search, list, detail,
/// export, cases, visits, tasks, contacts): another district's ids answer 404, exactly like ids that do not exist.
/// </summary>
public sealed class DistrictVisibilityTests(DistrictVisibilityTests.WorldFactory host) : IClassFixture<DistrictVisibilityTests.WorldFactory>
{
    public sealed record World(HttpClient OfficerA, HttpClient OfficerB, HttpClient CityViewer, long FirmA, long FirmB, long CaseB, long VisitB, long TaskB, long ContactB, string NameB);

    /// <summary>xUnit makes a test-class instance per test: the two districts' data is built once, on the class's host.</summary>
    public sealed class WorldFactory : CityFactory
    {
        public Task<World>? World { get; set; }
    }

    private Task<World> WorldAsync() => host.World ??= CreateWorldAsync();

    private async Task<World> CreateWorldAsync()
    {
        var (officerA, clientA) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (officerB, clientB) = await host.UserInAsync("officer", CityFactory.Minhang);
        var (_, viewer) = await host.UserInAsync("city-viewer", null);

        // The body names Xuhui for both (the DTO default): a district user's firm lands in their own district regardless.
        var firmA = await clientA.CreateFirmAsync(TestData.Firm("徐汇星河智能科技有限公司"));
        var nameB = "闵行星河智能科技有限公司";
        var firmB = await clientB.CreateFirmAsync(TestData.Firm(nameB).With("zone", "zizhu-hi-tech-zone"));
        Assert.Equal(CityFactory.Xuhui, firmA.Str("district"));
        Assert.Equal(CityFactory.Minhang, firmB.Str("district"));
        Assert.Equal("闵行区", firmB.Str("districtName"));

        var caseB = await clientB.PostJsonAsync($"/api/firms/{firmB.Id()}/cases", new { program = "hnte", stage = "nurturing" }, HttpStatusCode.Created);
        var visitB = await clientB.PostJsonAsync(
            "/api/visits",
            new { firmId = firmB.Id(), kind = "on-site", on = "2026-06-10", summary = "了解研发投入", followUps = new[] { new { title = "寄送申报指南", dueOn = "2026-06-20" } } },
            HttpStatusCode.Created);
        var tasks = await clientB.GetJsonAsync($"/api/tasks?firmId={firmB.Id()}");
        var taskB = tasks["items"]!.AsArray().Single()!.Id();
        var contactB = await clientB.PostJsonAsync($"/api/firms/{firmB.Id()}/contacts", new { name = "王经理", phone = "13800138000" }, HttpStatusCode.Created);
        _ = officerA;
        _ = officerB;
        return new World(clientA, clientB, viewer, firmA.Id(), firmB.Id(), caseB.Id(), visitB.Id(), taskB, contactB.Id(), nameB);
    }

    private static List<long> Ids(JsonNode page) => page["items"]!.AsArray().Select(i => i!.Id()).ToList();

    [Fact]
    public async Task Search_and_list_show_only_the_officers_district()
    {
        var w = await WorldAsync();
        var searchA = await w.OfficerA.GetJsonAsync("/api/firms?q=星河");
        Assert.Equal([w.FirmA], Ids(searchA));
        Assert.Equal(1, searchA["total"]!.GetValue<int>());

        // One or two characters take the gram-count shortcut when unscoped: scoped, the total must not count Minhang's firm.
        var shortA = await w.OfficerA.GetJsonAsync("/api/firms?q=星");
        Assert.Equal(1, shortA["total"]!.GetValue<int>());
        Assert.DoesNotContain(w.FirmB, Ids(shortA));

        Assert.Empty(Ids(await w.OfficerA.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString(w.NameB)}")));
        Assert.DoesNotContain(w.FirmB, Ids(await w.OfficerA.GetJsonAsync("/api/firms?pageSize=100")));
        Assert.Equal([w.FirmB], Ids(await w.OfficerB.GetJsonAsync("/api/firms?q=星河")));
    }

    [Theory]
    [InlineData("/api/firms/{firm}")]
    [InlineData("/api/firms/{firm}/cases")]
    [InlineData("/api/firms/{firm}/contacts")]
    [InlineData("/api/firms/{firm}/audit")]
    [InlineData("/api/firms/{firm}/status-changes")]
    [InlineData("/api/firms/{firm}/hnte-check")]
    [InlineData("/api/cases/{case}")]
    [InlineData("/api/visits/{visit}")]
    [InlineData("/api/tasks/{task}")]
    [InlineData("/api/contacts/{contact}")]
    public async Task Another_districts_ids_are_not_found(string template)
    {
        var w = await WorldAsync();
        var url = template.Replace("{firm}", w.FirmB.ToString()).Replace("{case}", w.CaseB.ToString())
            .Replace("{visit}", w.VisitB.ToString()).Replace("{task}", w.TaskB.ToString()).Replace("{contact}", w.ContactB.ToString());
        using var foreign = await w.OfficerA.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        // The same id is there for its own district and for the city viewer: the 404 is the filter, not a missing row.
        using var own = await w.OfficerB.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var city = await w.CityViewer.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, city.StatusCode);
    }

    [Fact]
    public async Task Writes_to_another_districts_firm_are_not_found()
    {
        var w = await WorldAsync();
        using var visit = await w.OfficerA.PostAsJsonAsync("/api/visits", new { firmId = w.FirmB, kind = "on-site", on = "2026-06-11", summary = "越区走访" });
        Assert.NotEqual(HttpStatusCode.Created, visit.StatusCode);
        using var newCase = await w.OfficerA.PostAsJsonAsync($"/api/firms/{w.FirmB}/cases", new { program = "pre-ipo" });
        Assert.Equal(HttpStatusCode.NotFound, newCase.StatusCode);
        using var status = await w.OfficerA.PostAsJsonAsync($"/api/firms/{w.FirmB}/status-changes", new { status = "MovedOut", effectiveOn = "2026-06-12" });
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Lists_and_exports_of_cases_visits_and_tasks_leave_the_other_district_out()
    {
        var w = await WorldAsync();
        Assert.DoesNotContain(w.CaseB, Ids(await w.OfficerA.GetJsonAsync("/api/cases?pageSize=100")));
        Assert.Contains(w.CaseB, Ids(await w.OfficerB.GetJsonAsync("/api/cases?pageSize=100")));
        Assert.DoesNotContain(w.VisitB, Ids(await w.OfficerA.GetJsonAsync("/api/visits?pageSize=100")));
        Assert.DoesNotContain(w.TaskB, Ids(await w.OfficerA.GetJsonAsync("/api/tasks?pageSize=100")));

        var exportA = await w.OfficerA.GetStringAsync("/api/exports/firms?format=csv");
        Assert.Contains("徐汇星河智能科技有限公司", exportA);
        Assert.DoesNotContain(w.NameB, exportA);
        Assert.DoesNotContain(w.NameB, await w.OfficerA.GetStringAsync("/api/exports/cases?format=csv"));
        Assert.DoesNotContain(w.NameB, await w.OfficerA.GetStringAsync("/api/exports/visits?format=csv"));

        var exportCity = await w.CityViewer.GetStringAsync("/api/exports/firms?format=csv");
        Assert.Contains(w.NameB, exportCity);
        Assert.Contains("徐汇星河智能科技有限公司", exportCity);
    }

    [Fact]
    public async Task The_city_viewer_reads_every_district_and_writes_nothing()
    {
        var w = await WorldAsync();
        var all = Ids(await w.CityViewer.GetJsonAsync("/api/firms?q=星河"));
        Assert.Equal([w.FirmA, w.FirmB], all.Order().ToList());
        using var create = await w.CityViewer.PostAsJsonAsync("/api/firms", TestData.Firm("全市只读不应能建"));
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using var transfer = await w.CityViewer.PostAsJsonAsync($"/api/firms/{w.FirmA}/transfer", new { toDistrict = CityFactory.Minhang, version = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, transfer.StatusCode);
    }

    [Fact]
    public async Task Officer_pickers_and_user_admin_stay_within_the_district()
    {
        var w = await WorldAsync();
        var (_, districtAdmin) = await host.UserInAsync("admin", CityFactory.Xuhui);
        var users = (await districtAdmin.GetJsonAsync("/api/users")).AsArray();
        Assert.All(users, u => Assert.Equal(CityFactory.Xuhui, u.Str("district")));

        // A district admin cannot put a user into another district or create a city viewer.
        using var other = await districtAdmin.PostAsJsonAsync("/api/users", new { userName = "mh-x", displayName = "x", role = "officer", password = "Abcdefgh12345", district = CityFactory.Minhang });
        Assert.NotEmpty((await other.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("district"));
        using var cityViewer = await districtAdmin.PostAsJsonAsync("/api/users", new { userName = "cv-x", displayName = "x", role = "city-viewer", password = "Abcdefgh12345" });
        Assert.NotEmpty((await cityViewer.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("role"));

        // The whole system's operations (jobs, every district's outbox, the calendar) are the city admin's.
        foreach (var url in new[] { "/api/admin/jobs", "/api/admin/outbox" })
        {
            using var refused = await districtAdmin.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var cityAdmin = await host.AdminAsync();
            using var allowed = await cityAdmin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var officers = (await w.OfficerB.GetJsonAsync("/api/officers")).AsArray().Select(o => o!.Id()).ToList();
        var xuhuiIds = users.Select(u => u!.Id()).ToList();
        Assert.Empty(officers.Intersect(xuhuiIds));
    }
}
