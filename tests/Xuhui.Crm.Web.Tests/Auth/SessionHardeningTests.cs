using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Auth;

/// <summary>
/// A web sign-in cookie, handled by hand so a test can keep a copy and replay it: the browser's cookies as a jar of
/// name → value, sent on every request and updated from every Set-Cookie.
/// </summary>
public sealed partial class WebBrowser(WebApplicationFactory<Program> factory) : IDisposable
{
    private readonly HttpClient _client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();

    public string? AuthCookie => Cookies.GetValueOrDefault("xuhui.auth");

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await _client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                var pair = header.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }

        return response;
    }

    public async Task<string> GetPageAsync(string url)
    {
        using var response = await SendAsync(HttpMethod.Get, url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The status of GET <paramref name="url"/>, and where a redirect points.</summary>
    public async Task<(HttpStatusCode Status, string? Location)> ProbeAsync(string url)
    {
        using var response = await SendAsync(HttpMethod.Get, url);
        return (response.StatusCode, response.Headers.Location?.ToString());
    }

    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string url, Dictionary<string, string> fields)
    {
        var page = await GetPageAsync(formPage);
        fields["__RequestVerificationToken"] = Csrf().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(fields);
        return await SendAsync(HttpMethod.Post, url, form);
    }

    public async Task<HttpResponseMessage> SignInAsync(string userName, string password) =>
        await PostFormAsync("/login", "/login", new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = password });

    public async Task SignInOkAsync(string userName, string password)
    {
        using var response = await SignInAsync(userName, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {userName}: {(int)response.StatusCode}");
        Assert.NotNull(AuthCookie);
    }

    public async Task SignOutAsync()
    {
        using var response = await PostFormAsync("/", "/logout", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location?.ToString());
    }

    public void Dispose() => _client.Dispose();
}

public sealed class SessionHardeningTests(SessionHardeningTests.Factory factory) : IClassFixture<SessionHardeningTests.Factory>
{
    /// <summary>One hour of sliding inactivity, and at most two hours from signing in however active.</summary>
    public sealed class Factory : CrmFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            [new("Crm:Auth:TokenLifetimeHours", "1"), new("Crm:Auth:WebSessionMaxHours", "2")];
    }

    private static async Task AssertSignedInAsync(WebBrowser browser)
    {
        var (status, location) = await browser.ProbeAsync("/");
        Assert.True(status == HttpStatusCode.OK, $"expected the signed-in home page, got {(int)status} → {location}");
    }

    private static async Task AssertRefusedAsync(WebBrowser browser, string url = "/")
    {
        var (status, location) = await browser.ProbeAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.StartsWith("http://localhost/login", location, StringComparison.Ordinal);
    }

    /// <summary>A second browser holding only a copy of <paramref name="original"/>'s sign-in cookie.</summary>
    private WebBrowser Copy(WebBrowser original)
    {
        var copy = new WebBrowser(factory);
        copy.Cookies["xuhui.auth"] = original.AuthCookie!;
        return copy;
    }

    [Fact]
    public async Task A_cookie_copied_before_logout_is_refused_after_it_and_other_sessions_of_the_user_live_on()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        using var browser = new WebBrowser(factory);
        await browser.SignInOkAsync(user.UserName, user.Password);
        using var otherDevice = new WebBrowser(factory);
        await otherDevice.SignInOkAsync(user.UserName, user.Password);
        using var stolen = Copy(browser);
        await AssertSignedInAsync(stolen);
        var sessions = await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.UserId == user.Id));

        await browser.SignOutAsync();

        await AssertRefusedAsync(stolen);
        await AssertRefusedAsync(stolen, "/firms");
        // Still refused once any cached lookup would have expired, and on an API path the cookie never counted for.
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        await AssertRefusedAsync(stolen);
        using (var api = await stolen.SendAsync(HttpMethod.Get, "/api/auth/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }

        await AssertSignedInAsync(otherDevice);
        Assert.Equal(sessions - 1, await factory.WithDbAsync(db => db.AccessTokens.CountAsync(t => t.UserId == user.Id)));
    }

    [Fact]
    public async Task Sliding_expiry_cannot_keep_a_session_past_its_absolute_lifetime()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        using var browser = new WebBrowser(factory);
        await browser.SignInOkAsync(user.UserName, user.Password);
        using var idle = Copy(browser);

        // Active every 40 minutes: the sliding hour is renewed each time, so only the absolute limit can end it.
        for (var i = 0; i < 2; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(40));
            await AssertSignedInAsync(browser);
        }

        // The copy taken at sign-in was never renewed: 80 minutes idle ends it through the sliding hour.
        await AssertRefusedAsync(idle);

        factory.Clock.Advance(TimeSpan.FromMinutes(30));
        await AssertSignedInAsync(browser);
        factory.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await AssertRefusedAsync(browser);

        // Signing in again starts a new session.
        await browser.SignInOkAsync(user.UserName, user.Password);
        await AssertSignedInAsync(browser);
    }

    [Fact]
    public async Task A_password_reset_or_a_deactivation_by_an_admin_ends_the_users_web_sessions()
    {
        using var admin = await factory.AdminAsync();
        var adminId = (await admin.GetJsonAsync("/api/auth/me")).Id();
        var reset = await factory.CreateUserAsync(Roles.Officer);
        var leaving = await factory.CreateUserAsync(Roles.Officer);
        using var resetBrowser = new WebBrowser(factory);
        await resetBrowser.SignInOkAsync(reset.UserName, reset.Password);
        using var leavingBrowser = new WebBrowser(factory);
        await leavingBrowser.SignInOkAsync(leaving.UserName, leaving.Password);

        var current = await admin.GetJsonAsync($"/api/users/{reset.Id}");
        await admin.PutJsonAsync(
            $"/api/users/{reset.Id}",
            new { version = current.Version(), displayName = current.Str("displayName"), role = Roles.Officer, password = "Xh-new-2026-strong!" },
            HttpStatusCode.OK);
        await admin.PostJsonAsync($"/api/users/{leaving.Id}/deactivate", new { handOverTo = adminId }, HttpStatusCode.OK);

        await AssertRefusedAsync(resetBrowser);
        await AssertRefusedAsync(leavingBrowser);
        await resetBrowser.SignInOkAsync(reset.UserName, "Xh-new-2026-strong!");
        await AssertSignedInAsync(resetBrowser);
    }

    private static string WithoutTraceId(string problem) => Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    [Fact]
    public async Task A_locked_account_answers_exactly_as_a_wrong_password_and_an_unknown_user_while_the_lockout_holds()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        using var anonymous = factory.Anonymous();

        async Task<(HttpStatusCode, string)> LoginAsync(string userName, string password)
        {
            using var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password });
            return (response.StatusCode, WithoutTraceId(await response.Content.ReadAsStringAsync()));
        }

        var wrong = await LoginAsync(user.UserName, "wrong-before");
        for (var i = 0; i < 4; i++)
        {
            await LoginAsync(user.UserName, "wrong" + i);
        }

        var lockedUntil = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockedUntil).SingleAsync());
        Assert.NotNull(lockedUntil);

        var locked = await LoginAsync(user.UserName, user.Password);
        var lockedWrong = await LoginAsync(user.UserName, "wrong-while-locked");
        var unknown = await LoginAsync("nobody-" + user.UserName, user.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Item1);
        Assert.Equal(wrong, locked);
        Assert.Equal(wrong, lockedWrong);
        Assert.Equal(wrong, unknown);
        Assert.DoesNotContain("锁定", locked.Item2, StringComparison.Ordinal);

        // The web page gives one message for all three too (it may say that repeated failures lock, never whether this did).
        using var browser = new WebBrowser(factory);
        var pages = new List<string>();
        foreach (var (name, password) in new[] { (user.UserName, user.Password), (user.UserName, "wrong-web"), ("nobody-web", "whatever") })
        {
            using var response = await browser.SignInAsync(name, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            pages.Add(Regex.Match(html, "role=\"alert\".*?<li>(.*?)</li>", RegexOptions.Singleline).Groups[1].Value.Trim());
        }

        Assert.NotEqual(string.Empty, pages[0]);
        Assert.All(pages, p => Assert.Equal(pages[0], p));
        Assert.Null(browser.AuthCookie);

        // The lockout still held all along: the lock did not move and the right password works once it ends.
        Assert.Equal(lockedUntil, await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockedUntil).SingleAsync()));
        factory.Clock.Advance(lockedUntil!.Value - factory.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user.UserName, user.Password)).Item1);
    }

    private static int Iterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
    }

    [Fact]
    public async Task Passwords_are_hashed_with_210000_iterations_and_an_older_hash_is_upgraded_at_the_next_successful_login()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        Assert.Equal(210_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));

        var legacy = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }));
        await factory.WithDbAsync(async db =>
        {
            var row = await db.Users.SingleAsync(u => u.Id == user.Id);
            row.PasswordHash = legacy.HashPassword(row, user.Password);
            await db.SaveChangesAsync();
            Assert.Equal(100_000, Iterations(row.PasswordHash));
        });

        // A failed attempt leaves the old hash as it is; a successful one verifies it and stores a new one.
        using var anonymous = factory.Anonymous();
        using (var failed = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = "wrong" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        Assert.Equal(100_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));
        using (var client = await factory.ClientForAsync(user))
        {
            await client.GetJsonAsync("/api/auth/me");
        }

        Assert.Equal(210_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));

        // The web sign-in upgrades too, and the upgraded hash keeps working for both.
        await factory.WithDbAsync(async db =>
        {
            var row = await db.Users.SingleAsync(u => u.Id == user.Id);
            row.PasswordHash = legacy.HashPassword(row, user.Password);
            await db.SaveChangesAsync();
        });
        using var browser = new WebBrowser(factory);
        await browser.SignInOkAsync(user.UserName, user.Password);
        Assert.Equal(210_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));
        using var again = await factory.ClientForAsync(user);
        await again.GetJsonAsync("/api/auth/me");
    }
}
