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

public sealed partial class SessionHardeningTests(SessionHardeningTests.Factory factory) : IClassFixture<SessionHardeningTests.Factory>
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
}
