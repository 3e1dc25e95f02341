using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Users;

public sealed class UserTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_log_in()
    {
        using var admin = await factory.AdminAsync();
        var created = await admin.PostJsonAsync(
            "/api/users",
            new { userName = "liqiang", displayName = "李强", email = "liqiang@xh.example", role = "officer", password = "Xh-2026-strong!" },
            HttpStatusCode.Created);
        Assert.Equal("officer", created.Str("role"));
        Assert.Null(created["passwordHash"]);
        using var client = await factory.LoginAsync("liqiang", "Xh-2026-strong!");
        Assert.Equal("liqiang", (await client.GetJsonAsync("/api/auth/me")).Str("userName"));
    }

    [Fact]
    public async Task Non_admins_get_403_on_the_users_api()
    {
        foreach (var role in new[] { Roles.Supervisor, Roles.Officer, Roles.Viewer })
        {
            var (_, client) = await factory.UserAndClientAsync(role);
            using (client)
            {
                using var list = await client.GetAsync("/api/users");
                Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
                await client.PostJsonAsync("/api/users", new { userName = "x" + role, displayName = "x", role = "admin", password = "Xh-2026-strong!" }, HttpStatusCode.Forbidden);
            }
        }
    }

    [Fact]
    public async Task Deactivating_a_user_requires_a_successor_and_hands_over_firms_and_open_tasks_and_ends_their_tokens()
    {
        using var admin = await factory.AdminAsync();
        var (leaving, leavingClient) = await factory.UserAndClientAsync(Roles.Officer);
        var successor = await factory.CreateUserAsync(Roles.Officer);
        using (leavingClient)
        {
            var firm = await leavingClient.CreateFirmAsync();
            var task = await leavingClient.PostJsonAsync("/api/tasks", new { firmId = firm.Id(), assigneeId = leaving.Id, title = "回访", dueOn = "2026-07-01" }, HttpStatusCode.Created);

            var before = await factory.RowCountsAsync();
            var problem = await admin.PostJsonAsync($"/api/users/{leaving.Id}/deactivate", new { }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.ErrorsFor("handOverTo"));
            Assert.Equal(before, await factory.RowCountsAsync());

            await admin.PostJsonAsync($"/api/users/{leaving.Id}/deactivate", new { handOverTo = successor.Id }, HttpStatusCode.OK);

            Assert.Equal(successor.Id, (await admin.GetJsonAsync($"/api/firms/{firm.Id()}"))["leadOfficerId"]!.GetValue<long>());
            Assert.Equal(successor.Id, (await admin.GetJsonAsync($"/api/tasks/{task.Id()}"))["assigneeId"]!.GetValue<long>());
            using var afterwards = await leavingClient.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
            Assert.False(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == leaving.Id).Select(u => u.IsActive).SingleAsync()));
        }
    }

    [Fact]
    public async Task Changing_a_users_role_through_the_api_ends_their_tokens()
    {
        using var admin = await factory.AdminAsync();
        var (user, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            await client.GetJsonAsync("/api/firms");
            var current = await admin.GetJsonAsync($"/api/users/{user.Id}");
            await admin.PutJsonAsync(
                $"/api/users/{user.Id}",
                new { version = current.Version(), displayName = current.Str("displayName"), email = current.Str("email"), role = "viewer" },
                HttpStatusCode.OK);
            using var response = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Updating_a_user_with_a_stale_version_returns_409_with_the_current_user()
    {
        using var admin = await factory.AdminAsync();
        var user = await factory.CreateUserAsync(Roles.Officer);
        var current = await admin.GetJsonAsync($"/api/users/{user.Id}");
        await admin.PutJsonAsync($"/api/users/{user.Id}", new { version = current.Version(), displayName = "新名字", role = "officer" }, HttpStatusCode.OK);
        var conflict = await admin.PutJsonAsync($"/api/users/{user.Id}", new { version = current.Version(), displayName = "旧版本", role = "officer" }, HttpStatusCode.Conflict);
        Assert.Equal("新名字", conflict["current"]!.Str("displayName"));
    }
}
