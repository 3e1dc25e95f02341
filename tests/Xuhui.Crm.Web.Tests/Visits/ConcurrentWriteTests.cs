using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Visits;

/// <summary>
/// Visits and firm edits racing on the same firms: the last-visit date a visit moves is the system's, so it must
/// neither fail the visit nor make an officer's edit stale; two people editing the same firm still conflict.
/// Bounded in rounds and requests.
/// </summary>
public sealed class ConcurrentWriteTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private static readonly DateOnly FirstDay = new(2026, 4, 1);

    private static object Visit(long firmId, DateOnly on, string kind = "on-site") =>
        new { firmId, status = "done", kind, on = on.ToString("yyyy-MM-dd"), summary = "并发走访" };

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Visits_logged_while_the_firm_is_being_saved_are_all_saved_and_the_officers_edit_is_not_stale()
    {
        using var admin = await factory.AdminAsync();
        var (_, officer) = await factory.UserAndClientAsync(Roles.Officer);
        using var _o = officer;
        var firm = await admin.CreateFirmAsync();
        var id = firm.Id();
        var earlier = await officer.PostJsonAsync("/api/visits", Visit(id, FirstDay.AddDays(-1), "phone"), HttpStatusCode.Created);
        const int rounds = 6;
        const int visitsPerRound = 4;
        var day = 0;
        for (var round = 0; round < rounds; round++)
        {
            var current = await admin.GetJsonAsync($"/api/firms/{id}");
            var edit = current.Editable();
            edit["address"] = $"并发路{round}号";
            var visits = Enumerable.Range(0, visitsPerRound)
                .Select(_ => SendAsync(officer.PostAsJsonAsync("/api/visits", Visit(id, FirstDay.AddDays(day++))))).ToList();
            var latest = await officer.GetJsonAsync($"/api/visits/{earlier.Id()}");
            var visitEdit = SendAsync(officer.PutAsJsonAsync($"/api/visits/{earlier.Id()}", new
            {
                version = latest.Version(), firmId = id, status = "done", kind = "phone", on = FirstDay.AddDays(-1).ToString("yyyy-MM-dd"), summary = $"补充{round}",
            }));
            var put = SendAsync(admin.PutAsJsonAsync($"/api/firms/{id}", edit));

            var (putStatus, putBody) = await put;
            Assert.True(putStatus == HttpStatusCode.OK, $"round {round}: firm PUT {(int)putStatus} {putBody}");
            foreach (var (status, body) in await Task.WhenAll(visits))
            {
                Assert.True(status == HttpStatusCode.Created, $"round {round}: visit {(int)status} {body}");
            }

            var (editStatus, editBody) = await visitEdit;
            Assert.True(editStatus == HttpStatusCode.OK, $"round {round}: visit edit {(int)editStatus} {editBody}");
        }

        var after = await admin.GetJsonAsync($"/api/firms/{id}");
        Assert.Equal(1 + rounds, after.Version());
        Assert.Equal($"并发路{rounds - 1}号", after.Str("address"));
        Assert.Equal(FirstDay.AddDays(day - 1).ToString("yyyy-MM-dd"), after.Str("lastVisitOn"));
        var saved = await factory.WithDbAsync(db => db.Visits.CountAsync(v => v.FirmId == id));
        Assert.Equal(1 + (rounds * visitsPerRound), saved);
    }

    [Fact]
    public async Task Editing_a_visit_recomputes_the_last_visit_date_without_touching_the_firms_version()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var id = firm.Id();
        var late = await admin.PostJsonAsync("/api/visits", Visit(id, FirstDay.AddDays(20)), HttpStatusCode.Created);
        await admin.PostJsonAsync("/api/visits", Visit(id, FirstDay.AddDays(5)), HttpStatusCode.Created);
        Assert.Equal(FirstDay.AddDays(20).ToString("yyyy-MM-dd"), (await admin.GetJsonAsync($"/api/firms/{id}")).Str("lastVisitOn"));

        // The later visit turns out to have been a phone call: the cadence falls back to the on-site visit before it.
        await admin.PutJsonAsync($"/api/visits/{late.Id()}", new { version = 1, firmId = id, status = "done", kind = "phone", on = FirstDay.AddDays(20).ToString("yyyy-MM-dd") }, HttpStatusCode.OK);
        var after = await admin.GetJsonAsync($"/api/firms/{id}");
        Assert.Equal(FirstDay.AddDays(5).ToString("yyyy-MM-dd"), after.Str("lastVisitOn"));
        Assert.Equal(firm.Version(), after.Version());

        // An officer's edit read before all of this is still current.
        await admin.PutJsonAsync($"/api/firms/{id}", firm.Editable().With("address", "读取于走访之前"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_people_saving_the_same_firm_version_still_conflict_with_409_and_the_current_state()
    {
        using var admin = await factory.AdminAsync();
        var (_, supervisor) = await factory.UserAndClientAsync(Roles.Supervisor);
        using var _s = supervisor;
        for (var round = 0; round < 4; round++)
        {
            var firm = await admin.CreateFirmAsync();
            var a = SendAsync(admin.PutAsJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("address", "甲的地址")));
            var b = SendAsync(supervisor.PutAsJsonAsync($"/api/firms/{firm.Id()}", firm.Editable().With("address", "乙的地址")));
            var visit = SendAsync(admin.PostAsJsonAsync("/api/visits", Visit(firm.Id(), FirstDay)));
            var results = await Task.WhenAll(a, b, visit);

            Assert.True(results[2].Status == HttpStatusCode.Created, $"visit {(int)results[2].Status} {results[2].Body}");
            var puts = results[..2];
            Assert.Single(puts, r => r.Status == HttpStatusCode.OK);
            var conflict = Assert.Single(puts, r => r.Status == HttpStatusCode.Conflict);
            var current = JsonNode.Parse(conflict.Body)!["current"]!;
            var winner = JsonNode.Parse(puts.Single(r => r.Status == HttpStatusCode.OK).Body)!;
            Assert.Equal(winner.Str("address"), current.Str("address"));
            Assert.Equal(2, current.Version());
        }
    }

    [Fact]
    public async Task Thirty_two_writers_on_three_firms_get_no_server_error_and_every_acknowledged_visit_is_saved()
    {
        using var admin = await factory.AdminAsync();
        var (_, officer) = await factory.UserAndClientAsync(Roles.Officer);
        using var _o = officer;
        var firms = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            firms.Add((await admin.CreateFirmAsync()).Id());
        }

        var before = await factory.WithDbAsync(db => db.Visits.CountAsync(v => firms.Contains(v.FirmId)));
        const int writers = 32;
        const int steps = 3;
        var statuses = await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            var seen = new List<(string What, HttpStatusCode Status, string Body)>();
            for (var s = 0; s < steps; s++)
            {
                var id = firms[(w + s) % firms.Count];
                if ((w + s) % 2 == 0)
                {
                    var (status, body) = await SendAsync(officer.PostAsJsonAsync("/api/visits", Visit(id, new DateOnly(2026, 2, 1).AddDays((w * steps) + s))));
                    seen.Add(("visit", status, body));
                }
                else
                {
                    using var get = await admin.GetAsync($"/api/firms/{id}");
                    var text = await get.Content.ReadAsStringAsync();
                    seen.Add(("get", get.StatusCode, text));
                    if (get.StatusCode == HttpStatusCode.OK)
                    {
                        var (status, body) = await SendAsync(admin.PutAsJsonAsync($"/api/firms/{id}", JsonNode.Parse(text)!.Editable().With("address", $"写者{w}-{s}")));
                        seen.Add(("put", status, body));
                    }
                }
            }

            return seen;
        }));

        var all = statuses.SelectMany(s => s).ToList();
        Assert.All(all, r => Assert.True((int)r.Status < 500, $"{r.What}: {(int)r.Status} {r.Body}"));
        Assert.All(all.Where(r => r.What == "visit"), r => Assert.True(r.Status == HttpStatusCode.Created, $"visit: {(int)r.Status} {r.Body}"));
        // Firm edits race each other (people editing the same firm): each is saved or a 409 with the current state.
        Assert.All(all.Where(r => r.What == "put"), r => Assert.True(
            r.Status == HttpStatusCode.OK || (r.Status == HttpStatusCode.Conflict && JsonNode.Parse(r.Body)!["current"] is not null),
            $"put: {(int)r.Status} {r.Body}"));
        var acknowledged = all.Count(r => r.What == "visit");
        var saved = await factory.WithDbAsync(db => db.Visits.CountAsync(v => firms.Contains(v.FirmId)));
        Assert.Equal(before + acknowledged, saved);
    }
}
