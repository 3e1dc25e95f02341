using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Auth;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

/// <summary>Forged log lines, headers on errors and caching of personal data.</summary>
public sealed class HygieneTests(RequestLogTests.Factory factory) : IClassFixture<RequestLogTests.Factory>
{
    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static void AssertNoStore(HttpResponseMessage response, string what) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control is '{response.Headers.CacheControl}'");

    [Theory]
    [InlineData("/zz%0D%0Afail:%20forged", "fail: forged")]
    [InlineData("/zz%0Afail:%20forged", "fail: forged")]
    [InlineData("/api/zz%0D%0Ainfo:%20Xuhui.Crm.Requests%20forged", "info: Xuhui.Crm.Requests forged")]
    [InlineData("/zz%E2%80%A8line%C2%85next%1B%5B31mredmark%07bell", "redmark")]
    [InlineData("/zz%E2%80%AEtxt.exe", "txt.exe")]
    public async Task An_unmatched_path_with_control_characters_is_logged_escaped_on_one_line(string path, string marker)
    {
        using var anonymous = factory.Anonymous();
        using var response = await anonymous.GetAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"{(int)response.StatusCode}");

        var lines = factory.Lines.Where(l => l.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.StartsWith("Xuhui.Crm.Requests: GET /", line, StringComparison.Ordinal);
            Assert.DoesNotContain(line.TrimEnd(), c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202E');
        }
    }

    [Fact]
    public async Task A_very_long_unmatched_path_is_cut_in_the_log()
    {
        using var anonymous = factory.Anonymous();
        var tail = new string('q', 5000);
        using var response = await anonymous.GetAsync("/long-" + tail);
        var line = Assert.Single(factory.Lines, l => l.Contains("/long-q", StringComparison.Ordinal));
        Assert.True(line.Length < 400, $"log line of {line.Length} characters");
    }

    [Fact]
    public async Task Api_answers_pages_and_exports_are_not_cached_and_static_assets_are()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "卫八", phone = "13655557777" }, HttpStatusCode.Created);
        foreach (var url in new[] { "/api/firms", $"/api/firms/{firm.Id()}", $"/api/firms/{firm.Id()}/contacts", "/api/auth/me", "/api/exports/firms", "/api/nothing-here" })
        {
            using var response = await admin.GetAsync(url);
            AssertNoStore(response, url);
        }

        using (var anonymous = factory.Anonymous())
        using (var unauthorized = await anonymous.GetAsync("/api/firms"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            AssertNoStore(unauthorized, "401");
        }

        using var browser = new WebBrowser(factory);
        await browser.SignInOkAsync("admin", factory.AdminPassword);
        foreach (var url in new[] { "/", "/firms", $"/firms/{firm.Id()}", "/login" })
        {
            using var response = await browser.SendAsync(HttpMethod.Get, url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertNoStore(response, url);
        }

        using var css = await browser.SendAsync(HttpMethod.Get, "/css/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.False(css.Headers.CacheControl?.NoStore == true, "a static asset must stay cacheable");
        AssertSecurityHeaders(css);
    }
}

/// <summary>A host whose firm search always throws, to provoke genuine 500s through the real exception handler.</summary>
public sealed class ServerErrorHeaderTests(ServerErrorHeaderTests.Factory factory) : IClassFixture<ServerErrorHeaderTests.Factory>
{
    public sealed class Factory : CrmFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.AddScoped<FirmSearch>(_ => throw new InvalidOperationException("provoked by the test")));
        }
    }

    [Fact]
    public async Task A_500_from_the_api_or_a_page_still_carries_the_security_headers_and_no_store()
    {
        using var admin = await factory.AdminAsync();
        using (var api = await admin.GetAsync("/api/firms?q=abc"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
            AssertHeaders(api);
        }

        using var browser = new WebBrowser(factory);
        await browser.SignInOkAsync("admin", factory.AdminPassword);
        using var page = await browser.SendAsync(HttpMethod.Get, "/firms");
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        AssertHeaders(page);
    }

    private static void AssertHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"Cache-Control is '{response.Headers.CacheControl}'");
    }
}
