using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Auth;

public sealed class AuthTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Logging_in_with_the_bootstrap_password_returns_a_bearer_token_that_works()
    {
        using var anonymous = factory.Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = factory.AdminPassword });
        var body = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.False(string.IsNullOrWhiteSpace(body.Str("accessToken")));
        var expiresAt = body["expiresAt"]!.GetValue<DateTimeOffset>();
        Assert.True(expiresAt > CrmFactory.Start, $"expiresAt {expiresAt} is not after now");

        using var admin = await factory.AdminAsync();
        var me = await admin.GetJsonAsync("/api/auth/me");
        Assert.Equal("admin", me.Str("userName"));
        Assert.Equal(Roles.Admin, me.Str("role"));
    }

    [Fact]
    public async Task Logging_in_with_a_wrong_password_returns_401()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        using var anonymous = factory.Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = "wrong" });
        await response.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logging_in_as_an_unknown_user_returns_401()
    {
        using var anonymous = factory.Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "nobody", password = "whatever" });
        await response.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Repeated_failed_logins_lock_the_account_until_the_lockout_ends_answering_as_a_wrong_password()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        using var anonymous = factory.Anonymous();
        var lockedAt = factory.Clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 5; i++)
        {
            using var failed = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = "wrong" + i });
            await failed.ExpectAsync(HttpStatusCode.Unauthorized);
        }

        // Locked: even the right password is refused, with the same 401 as a wrong one (no 423 to tell it is locked).
        using (var locked = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = user.Password }))
        {
            var problem = await locked.ExpectAsync(HttpStatusCode.Unauthorized);
            Assert.Equal("用户名或密码错误", problem.Str("title"));
            Assert.Null(problem!["detail"]);
        }

        var lockedUntil = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockedUntil).SingleAsync());
        Assert.Equal(lockedAt.AddMinutes(15), lockedUntil);

        factory.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        using var unlocked = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = user.Password });
        await unlocked.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_api_call_without_a_token_is_401_and_never_a_redirect()
    {
        using var anonymous = factory.Anonymous();
        foreach (var url in new[] { "/api/firms", "/api/auth/me", "/api/reference", "/api/firms/1" })
        {
            using var response = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }

        using var post = await anonymous.PostAsJsonAsync("/api/firms", TestData.Firm());
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task A_made_up_token_is_401()
    {
        using var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-real-token");
        using var response = await client.GetAsync("/api/firms");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_stops_working_when_it_expires()
    {
        var (_, client) = await factory.UserAndClientAsync(Roles.Viewer);
        using (client)
        {
            await client.GetJsonAsync("/api/firms");
            // Other tests of this class only ever compare with the clock's current time, so moving it on is harmless.
            factory.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));
            using var response = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_token_stops_working_when_the_user_is_deactivated()
    {
        var (user, client) = await factory.UserAndClientAsync(Roles.Officer);
        var successor = await factory.CreateUserAsync(Roles.Officer);
        using (client)
        {
            await client.GetJsonAsync("/api/firms");
            using var admin = await factory.AdminAsync();
            await admin.PostJsonAsync($"/api/users/{user.Id}/deactivate", new { handOverTo = successor.Id }, HttpStatusCode.OK);

            using var response = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var anonymous = factory.Anonymous();
            using var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = user.Password });
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }
    }

    [Fact]
    public async Task A_token_stops_working_when_the_users_role_changes()
    {
        var (user, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            await client.GetJsonAsync("/api/firms");
            using var admin = await factory.AdminAsync();
            var current = await admin.GetJsonAsync($"/api/users/{user.Id}");
            await admin.PutJsonAsync(
                $"/api/users/{user.Id}",
                new { version = current.Version(), displayName = current.Str("displayName"), role = Roles.Supervisor },
                HttpStatusCode.OK);

            using var response = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Logging_out_ends_the_token()
    {
        var (_, client) = await factory.UserAndClientAsync(Roles.Viewer);
        using (client)
        {
            using (var logout = await client.PostAsync("/api/auth/logout", null))
            {
                await logout.ExpectAsync(HttpStatusCode.NoContent);
            }

            using var response = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_openapi_document_is_anonymous()
    {
        using var anonymous = factory.Anonymous();
        var doc = await anonymous.GetJsonAsync("/openapi/v1.json");
        Assert.NotNull(doc["paths"]!["/api/firms"]);
    }

    [Fact]
    public async Task The_docs_ui_is_anonymous()
    {
        using var anonymous = factory.Anonymous();
        using var response = await anonymous.GetAsync("/docs/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);

        // /docs itself only adds the trailing slash; it must not send an anonymous caller to a login.
        using var bare = await anonymous.GetAsync("/docs");
        Assert.True(bare.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found or HttpStatusCode.MovedPermanently, $"/docs gave {bare.StatusCode}");
        if (bare.Headers.Location is { } location)
        {
            Assert.EndsWith("docs/", location.ToString(), StringComparison.Ordinal);
        }
    }
}
