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
