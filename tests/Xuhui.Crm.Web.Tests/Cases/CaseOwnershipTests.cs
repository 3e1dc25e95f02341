using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Cases;

/// <summary>
/// An officer changes the cases they own, whatever their seat on the firm; supervisors and admins change any. A co-officer
/// edits the firm's facts but not who works on it: the co-officer list and the lead are the lead's and the supervisors'.
/// </summary>
public sealed class CaseOwnershipTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private sealed record Team(TestUser Lead, HttpClient LeadClient, TestUser Co, HttpClient CoClient, JsonNode Firm);

    private async Task<Team> TeamAsync()
    {
        var (lead, leadClient) = await factory.UserAndClientAsync(Roles.Officer);
        var (co, coClient) = await factory.UserAndClientAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", lead.Id).With("coOfficerIds", TestData.Ids(co.Id)));
        return new Team(lead, leadClient, co, coClient, firm);
    }

    /// <summary>Every write on a case, as (method, url, body) for a case at <paramref name="c"/>.</summary>
    private static (HttpMethod Method, string Url, object Body)[] CaseWrites(JsonNode c) =>
    [
        (HttpMethod.Put, $"/api/cases/{c.Id()}", new { version = c.Version(), evaluationScore = 80 }),
        (HttpMethod.Post, $"/api/cases/{c.Id()}/transitions", new { fromStage = c.Str("stage"), toStage = "preparing", note = "材料已齐" }),
        (HttpMethod.Put, $"/api/cases/{c.Id()}/certificate", new { version = c.Version(), number = "GR202631000001", issuedOn = "2026-01-10" }),
        (HttpMethod.Post, $"/api/cases/{c.Id()}/annual-reports", new { year = 2025, filedOn = "2026-05-20" }),
    ];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Neither_a_co_officer_nor_the_lead_officer_writes_a_case_someone_else_owns_and_nothing_is_written()
    {
        var t = await TeamAsync();
        using (t.LeadClient)
        using (t.CoClient)
        {
            var leadsCase = await t.LeadClient.PostJsonAsync($"/api/firms/{t.Firm.Id()}/cases", new { program = "hnte", stage = "nurturing" }, HttpStatusCode.Created);
            var cosCase = await t.CoClient.PostJsonAsync($"/api/firms/{t.Firm.Id()}/cases", new { program = "little-giant", stage = "lead" }, HttpStatusCode.Created);
            Assert.Equal(t.Co.Id, cosCase["ownerId"]!.GetValue<long>());
            var before = await factory.RowCountsAsync();
            foreach (var (client, c) in new[] { (t.CoClient, leadsCase), (t.LeadClient, cosCase) })
            {
                foreach (var (method, url, body) in CaseWrites(c))
                {
                    using var response = await SendAsync(client, method, url, body);
                    var problem = (await response.ExpectAsync(HttpStatusCode.Forbidden))!;
                    Assert.Contains("案件负责人", problem.Str("detail"), StringComparison.Ordinal);
                }
            }

            Assert.Equal(before, await factory.RowCountsAsync());
            Assert.Equal(leadsCase.Version(), (await t.CoClient.GetJsonAsync($"/api/cases/{leadsCase.Id()}")).Version());
        }
    }

    [Fact]
    public async Task The_owner_and_a_supervisor_write_the_case()
    {
        var t = await TeamAsync();
        var (_, supervisor) = await factory.UserAndClientAsync(Roles.Supervisor);
        using (t.LeadClient)
        using (t.CoClient)
        using (supervisor)
        {
            var owned = await t.CoClient.PostJsonAsync($"/api/firms/{t.Firm.Id()}/cases", new { program = "hnte", stage = "nurturing" }, HttpStatusCode.Created);
            var moved = await t.CoClient.PostJsonAsync($"/api/cases/{owned.Id()}/transitions", new { fromStage = "nurturing", toStage = "preparing" }, HttpStatusCode.OK);
            var edited = await supervisor.PutJsonAsync($"/api/cases/{owned.Id()}", new { version = moved.Version() }, HttpStatusCode.OK);
            await supervisor.PostJsonAsync($"/api/cases/{owned.Id()}/annual-reports", new { year = 2025, filedOn = "2026-05-20" }, HttpStatusCode.OK);
            Assert.Equal(t.Co.Id, edited["ownerId"]!.GetValue<long>());
            Assert.Equal("preparing", edited.Str("stage"));
        }
    }

    [Fact]
    public async Task A_co_officer_edits_the_firms_facts_but_gets_403_for_its_team_and_writes_nothing()
    {
        var t = await TeamAsync();
        var other = await factory.CreateUserAsync(Roles.Officer);
        using (t.LeadClient)
        using (t.CoClient)
        {
            var firm = t.Firm;
            var before = await factory.RowCountsAsync();
            foreach (var body in new[]
            {
                firm.Editable().With("coOfficerIds", TestData.Ids(t.Co.Id, other.Id)),
                firm.Editable().With("coOfficerIds", TestData.Ids()),
                firm.Editable().With("coOfficerIds", TestData.Ids(other.Id)),
                firm.Editable().With("leadOfficerId", t.Co.Id).With("coOfficerIds", TestData.Ids()),
                firm.Editable().With("leadOfficerId", null),
            })
            {
                var problem = await t.CoClient.PutJsonAsync($"/api/firms/{firm.Id()}", body, HttpStatusCode.Forbidden);
                Assert.Equal(403, problem["status"]!.GetValue<int>());
            }

            Assert.Equal(before, await factory.RowCountsAsync());

            // The same list in another order (and the lead named again in it) is no change.
            var facts = await t.CoClient.PutJsonAsync(
                $"/api/firms/{firm.Id()}", firm.Editable().With("headcount", 150).With("coOfficerIds", TestData.Ids(t.Co.Id, t.Lead.Id)), HttpStatusCode.OK);
            Assert.Equal(150, facts["headcount"]!.GetValue<int>());
            Assert.Equal([t.Co.Id], facts["coOfficerIds"]!.AsArray().Select(n => n!.GetValue<long>()));

            // The lead officer seats a co-officer (as before) but still cannot hand the firm to someone else.
            var seated = await t.LeadClient.PutJsonAsync($"/api/firms/{firm.Id()}", facts.Editable().With("coOfficerIds", TestData.Ids(t.Co.Id, other.Id)), HttpStatusCode.OK);
            Assert.Equal([t.Co.Id, other.Id], seated["coOfficerIds"]!.AsArray().Select(n => n!.GetValue<long>()).Order());
            var handOn = await t.LeadClient.PutJsonAsync($"/api/firms/{firm.Id()}", seated.Editable().With("leadOfficerId", other.Id), HttpStatusCode.BadRequest);
            Assert.NotEmpty(handOn.ErrorsFor("leadOfficerId"));
        }
    }
}
