using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xuhui.Crm.Web.Tests.Districts;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Users;

/// <summary>
/// A district admin administers the users of their own district only: every user endpoint resolves the target among the
/// caller's visible users (another district's user, or a city-wide one, is not found), and nothing that names a user
/// (hand-over successor, supervisor, lead and co-officers, case owner, task assignee, visit officers, request handler)
/// accepts one of another district.
/// </summary>
public sealed class UserHardeningTests(CityFactory host) : IClassFixture<CityFactory>
{
    private static async Task<long> MyIdAsync(HttpClient client) => (await client.GetJsonAsync("/api/auth/me")).Id();

    [Fact]
    public async Task A_district_admin_gets_404_for_every_action_on_the_city_admin_or_another_districts_user_and_nothing_changes()
    {
        using var city = await host.AdminAsync();
        var cityAdminId = await MyIdAsync(city);
        var (_, xuhuiAdmin) = await host.UserInAsync("admin", CityFactory.Xuhui);
        var (successor, _) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (minhangOfficer, _) = await host.UserInAsync("officer", CityFactory.Minhang);
        var (minhangGone, _) = await host.UserInAsync("officer", CityFactory.Minhang);
        var (minhangSuccessor, _) = await host.UserInAsync("officer", CityFactory.Minhang);
        await city.PostJsonAsync($"/api/users/{minhangGone.Id}/deactivate", new { handOverTo = minhangSuccessor.Id }, HttpStatusCode.OK);
        using (xuhuiAdmin)
        {
            var before = await host.RowCountsAsync();
            foreach (var target in new[] { cityAdminId, minhangOfficer.Id, minhangGone.Id })
            {
                var current = await city.GetJsonAsync($"/api/users/{target}");
                foreach (var (method, url, body) in new (HttpMethod, string, object?)[]
                {
                    (HttpMethod.Get, $"/api/users/{target}", null),
                    (HttpMethod.Get, $"/api/users/{target}/audit", null),
                    (HttpMethod.Post, $"/api/users/{target}/deactivate", new { handOverTo = successor.Id }),
                    (HttpMethod.Post, $"/api/users/{target}/reactivate", new { }),
                    (HttpMethod.Put, $"/api/users/{target}", new { version = current.Version(), displayName = "改名", role = "viewer", password = "Taken-over-2026" }),
                })
                {
                    using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
                    using var response = await xuhuiAdmin.SendAsync(request);
                    await response.ExpectAsync(HttpStatusCode.NotFound);
                }
            }

            Assert.Equal(before, await host.RowCountsAsync());
            Assert.DoesNotContain((await xuhuiAdmin.GetJsonAsync("/api/users")).AsArray(), u => u!.Id() == cityAdminId || u!.Id() == minhangOfficer.Id);
        }

        // The city admin still signs in, and the other district's user is untouched.
        using var again = await host.AdminAsync();
        Assert.True((await again.GetJsonAsync($"/api/users/{minhangOfficer.Id}"))["isActive"]!.GetValue<bool>());
        Assert.Equal("officer", (await again.GetJsonAsync($"/api/users/{minhangOfficer.Id}")).Str("role"));
    }

    [Fact]
    public async Task A_hand_over_goes_only_to_an_active_writer_of_the_leaving_users_district()
    {
        using var city = await host.AdminAsync();
        var cityAdminId = await MyIdAsync(city);
        var (_, xuhuiAdmin) = await host.UserInAsync("admin", CityFactory.Xuhui);
        var (leaving, leavingClient) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (xuhuiViewer, _) = await host.UserInAsync("viewer", CityFactory.Xuhui);
        var (minhangOfficer, _) = await host.UserInAsync("officer", CityFactory.Minhang);
        var (xuhuiSuccessor, _) = await host.UserInAsync("officer", CityFactory.Xuhui);
        using (leavingClient)
        using (xuhuiAdmin)
        {
            var firm = await leavingClient.CreateFirmAsync();
            var before = await host.RowCountsAsync();
            foreach (var candidate in new[] { minhangOfficer.Id, cityAdminId, xuhuiViewer.Id, 999_999L })
            {
                var problem = await xuhuiAdmin.PostJsonAsync($"/api/users/{leaving.Id}/deactivate", new { handOverTo = candidate }, HttpStatusCode.BadRequest);
                Assert.NotEmpty(problem.ErrorsFor("handOverTo"));
            }

            // Not even the city admin hands a Xuhui officer's firms to a Minhang officer.
            var cityProblem = await city.PostJsonAsync($"/api/users/{leaving.Id}/deactivate", new { handOverTo = minhangOfficer.Id }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(cityProblem.ErrorsFor("handOverTo"));
            Assert.Equal(before, await host.RowCountsAsync());

            var summary = await xuhuiAdmin.PostJsonAsync($"/api/users/{leaving.Id}/deactivate", new { handOverTo = xuhuiSuccessor.Id }, HttpStatusCode.OK);
            Assert.Equal(1, summary["firms"]!.GetValue<int>());
            Assert.Equal(xuhuiSuccessor.Id, (await city.GetJsonAsync($"/api/firms/{firm.Id()}"))["leadOfficerId"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task A_district_admin_creates_and_promotes_only_users_of_their_own_district()
    {
        var (_, xuhuiAdmin) = await host.UserInAsync("admin", CityFactory.Xuhui);
        var (officer, _) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (minhangSupervisor, _) = await host.UserInAsync("supervisor", CityFactory.Minhang);
        using (xuhuiAdmin)
        {
            var before = await host.RowCountsAsync();
            var cityViewer = await xuhuiAdmin.PostJsonAsync(
                "/api/users", new { userName = "cv-by-district", displayName = "全市只读", role = "city-viewer", password = "Strong-pass-2026" }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(cityViewer.ErrorsFor("role"));
            var elsewhere = await xuhuiAdmin.PostJsonAsync(
                "/api/users", new { userName = "mh-by-district", displayName = "闵行专员", role = "officer", password = "Strong-pass-2026", district = CityFactory.Minhang }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(elsewhere.ErrorsFor("district"));
            var foreignSupervisor = await xuhuiAdmin.PostJsonAsync(
                "/api/users", new { userName = "sup-by-district", displayName = "专员", role = "officer", password = "Strong-pass-2026", supervisorId = minhangSupervisor.Id }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(foreignSupervisor.ErrorsFor("supervisorId"));

            var current = await xuhuiAdmin.GetJsonAsync($"/api/users/{officer.Id}");
            var promote = await xuhuiAdmin.PutJsonAsync(
                $"/api/users/{officer.Id}", new { version = current.Version(), displayName = current.Str("displayName"), role = "city-viewer" }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(promote.ErrorsFor("role"));
            var move = await xuhuiAdmin.PutJsonAsync(
                $"/api/users/{officer.Id}", new { version = current.Version(), displayName = current.Str("displayName"), role = "officer", district = CityFactory.Minhang }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(move.ErrorsFor("district"));
            Assert.Equal(before, await host.RowCountsAsync());

            // An admin a district admin makes is an admin of that district, never a city-wide one.
            var made = await xuhuiAdmin.PostJsonAsync(
                "/api/users", new { userName = "xh-admin-2", displayName = "徐汇管理员", role = "admin", password = "Strong-pass-2026" }, HttpStatusCode.Created);
            Assert.Equal(CityFactory.Xuhui, made.Str("district"));
            var promoted = await xuhuiAdmin.PutJsonAsync(
                $"/api/users/{officer.Id}", new { version = current.Version(), displayName = current.Str("displayName"), role = "admin" }, HttpStatusCode.OK);
            Assert.Equal(CityFactory.Xuhui, promoted.Str("district"));
        }
    }

    [Fact]
    public async Task Work_on_a_firm_cannot_name_a_user_of_another_district_and_a_refusal_writes_nothing()
    {
        using var city = await host.AdminAsync();
        var (xuhuiOfficer, officerClient) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (_, supervisor) = await host.UserInAsync("supervisor", CityFactory.Xuhui);
        var (minhangOfficer, _) = await host.UserInAsync("officer", CityFactory.Minhang);
        var (colleague, _) = await host.UserInAsync("officer", CityFactory.Xuhui);
        using (officerClient)
        using (supervisor)
        {
            var firm = await officerClient.CreateFirmAsync();
            var firmId = firm.Id();
            var kase = await officerClient.PostJsonAsync($"/api/firms/{firmId}/cases", new { program = "hnte", stage = "nurturing" }, HttpStatusCode.Created);
            var request = await officerClient.PostJsonAsync("/api/requests", new { firmId, category = "talent", description = "人才公寓" }, HttpStatusCode.Created);
            var foreign = minhangOfficer.Id;
            var refusals = new (HttpClient Client, HttpMethod Method, string Url, object Body, string Field)[]
            {
                (officerClient, HttpMethod.Post, "/api/tasks", new { firmId, assigneeId = foreign, title = "回访", dueOn = "2026-07-01" }, "assigneeId"),
                (city, HttpMethod.Post, "/api/tasks", new { firmId, assigneeId = foreign, title = "回访", dueOn = "2026-07-01" }, "assigneeId"),
                (officerClient, HttpMethod.Post, "/api/visits", new { firmId, kind = "on-site", on = "2026-06-10", summary = "走访", officerIds = new[] { foreign } }, "officerIds"),
                (city, HttpMethod.Post, "/api/visits", new { firmId, kind = "on-site", on = "2026-06-10", summary = "走访", officerIds = new[] { foreign } }, "officerIds"),
                (officerClient, HttpMethod.Post, "/api/visits", new { firmId, kind = "on-site", on = "2026-06-10", summary = "走访", followUps = new[] { new { title = "寄送", dueOn = "2026-06-20", assigneeId = foreign } } }, "followUps[0].assigneeId"),
                (officerClient, HttpMethod.Post, "/api/visits", new { firmId, kind = "on-site", on = "2026-06-10", summary = "走访", raisedRequests = new[] { new { category = "talent", description = "落户", ownerId = foreign } } }, "raisedRequests[0].ownerId"),
                (supervisor, HttpMethod.Post, $"/api/firms/{firmId}/cases", new { program = "little-giant", stage = "lead", ownerId = foreign }, "ownerId"),
                (supervisor, HttpMethod.Put, $"/api/cases/{kase.Id()}", new { version = kase.Version(), ownerId = foreign }, "ownerId"),
                (city, HttpMethod.Put, $"/api/cases/{kase.Id()}", new { version = kase.Version(), ownerId = foreign }, "ownerId"),
                (supervisor, HttpMethod.Post, "/api/requests", new { firmId, category = "talent", description = "落户", ownerId = foreign }, "ownerId"),
                (supervisor, HttpMethod.Put, $"/api/requests/{request.Id()}", new { version = request.Version(), category = "talent", description = "人才公寓", ownerId = foreign }, "ownerId"),
                (supervisor, HttpMethod.Put, $"/api/firms/{firmId}", firm.Editable().With("leadOfficerId", foreign), "leadOfficerId"),
                (supervisor, HttpMethod.Put, $"/api/firms/{firmId}", firm.Editable().With("coOfficerIds", TestData.Ids(foreign)), "coOfficerIds"),
                (city, HttpMethod.Put, $"/api/firms/{firmId}", firm.Editable().With("coOfficerIds", TestData.Ids(foreign)), "coOfficerIds"),
                (supervisor, HttpMethod.Post, "/api/firms", TestData.Firm().With("leadOfficerId", foreign), "leadOfficerId"),
                (city, HttpMethod.Post, "/api/firms", TestData.Firm().With("district", CityFactory.Xuhui).With("coOfficerIds", TestData.Ids(foreign)), "coOfficerIds"),
            };

            var before = await host.RowCountsAsync();
            foreach (var (client, method, url, body, field) in refusals)
            {
                using var message = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
                using var response = await client.SendAsync(message);
                var problem = (await response.ExpectAsync(HttpStatusCode.BadRequest))!;
                Assert.NotEmpty(problem.ErrorsFor(field));
            }

            Assert.Equal(before, await host.RowCountsAsync());

            // The same writes naming a colleague of the firm's own district go through.
            await officerClient.PostJsonAsync("/api/tasks", new { firmId, assigneeId = colleague.Id, title = "回访", dueOn = "2026-07-01" }, HttpStatusCode.Created);
            await officerClient.PostJsonAsync("/api/visits", new { firmId, kind = "on-site", on = "2026-06-10", summary = "走访", officerIds = new[] { colleague.Id, xuhuiOfficer.Id } }, HttpStatusCode.Created);
            var current = await supervisor.GetJsonAsync($"/api/firms/{firmId}");
            var updated = await supervisor.PutJsonAsync($"/api/firms/{firmId}", current.Editable().With("coOfficerIds", TestData.Ids(colleague.Id)), HttpStatusCode.OK);
            Assert.Equal([colleague.Id], updated["coOfficerIds"]!.AsArray().Select(n => n!.GetValue<long>()));
        }
    }

    [Fact]
    public async Task A_district_admin_reads_the_audit_of_their_own_districts_users_only()
    {
        var (_, xuhuiAdmin) = await host.UserInAsync("admin", CityFactory.Xuhui);
        var (mine, _) = await host.UserInAsync("officer", CityFactory.Xuhui);
        using (xuhuiAdmin)
        {
            var trail = (await xuhuiAdmin.GetJsonAsync($"/api/users/{mine.Id}/audit")).AsArray();
            var created = Assert.Single(trail)!;
            Assert.Equal("created", created.Str("action"));
            Assert.Contains(created["changes"]!.AsArray(), c => c.Str("field") == "DistrictCode" && c.Str("new") == CityFactory.Xuhui);
        }
    }
}
