using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

/// <summary>
/// The real app on a free loopback port with a fresh SQLite database in a temp directory, and Debian's Chromium.
/// Users are created once; every test makes its own firms through the API.
/// </summary>
public sealed class CrmApp : IAsyncLifetime
{
    public const string AdminPassword = "admin-pass-2026";
    public const string Password = "officer-pass-2026";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "xuhui-e2e-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;
    private int _codes;

    public string BaseUrl { get; private set; } = string.Empty;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public long OfficerId { get; private set; }
    public long OtherOfficerId { get; private set; }
    public long ViewerId { get; private set; }

    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        (_factory, BaseUrl) = StartHost();

        Admin = await LoginAsync("admin", AdminPassword);
        OfficerId = await CreateUserAsync("wangfang", "王芳", "officer");
        OtherOfficerId = await CreateUserAsync("lisi", "李四", "officer");
        ViewerId = await CreateUserAsync("zhaolei", "赵磊", "viewer");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Starts a host on a free loopback port over this fixture's data directory (a second one simulates a restart).</summary>
    public (WebApplicationFactory<Program> Factory, string BaseUrl) StartHost()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Crm:DataDirectory", _dataDirectory);
            b.UseSetting("Crm:Bootstrap:AdminPassword", AdminPassword);
            b.UseSetting("Crm:Seed:Demo", "false");
            // Every test signs in from 127.0.0.1; the login rate limit is for attackers, not for this suite.
            b.UseSetting("Crm:Auth:LoginRequestsPerMinute", "100000");
        });
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return (factory, $"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
        Admin.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL for a moment; the temp directory is cleaned by the OS.
        }
    }

    public async Task<HttpClient> LoginAsync(string userName, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<long> CreateUserAsync(string userName, string displayName, string role)
    {
        var user = await SendAsync(HttpMethod.Post, "/api/users", new { userName, displayName, role, password = Password });
        return user["id"]!.GetValue<long>();
    }

    /// <summary>A firm led by the given officer, with an HNTE case at the given stage and one contact.</summary>
    public async Task<(long FirmId, long CaseId)> CreateFirmAsync(string name, long leadOfficerId, string stage = "nurturing")
    {
        var first17 = "913101046" + Interlocked.Increment(ref _codes).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var firm = await SendAsync(HttpMethod.Post, "/api/firms", new
        {
            name,
            creditCode = Domain.Firms.CreditCode.WithCheckCharacter(first17),
            zone = "xuhui-riverside",
            industry = "ai",
            leadOfficerId,
            establishedOn = "2019-03-01",
            headcount = 120,
            rdHeadcount = 30,
            techField = "电子信息",
            address = "上海市徐汇区龙腾大道2879号",
        });
        var firmId = firm["id"]!.GetValue<long>();
        var created = await SendAsync(HttpMethod.Post, $"/api/firms/{firmId}/cases", new { program = "hnte", stage, ownerId = leadOfficerId });
        await SendAsync(HttpMethod.Post, $"/api/firms/{firmId}/contacts", new { name = "陈静", title = "财务总监", phone = "13812345678", email = "chenjing@example.cn" });
        return (firmId, created["id"]!.GetValue<long>());
    }

    public async Task<JsonObject> SendAsync(HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> GetAsync(string url) => await SendAsync(HttpMethod.Get, url);

    /// <summary>A fresh browser context signed in through the login form.</summary>
    public async Task<IPage> SignInAsync(string userName, string password = Password, int width = 1280, int height = 860)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal));
        return page;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}

[CollectionDefinition(Name)]
public sealed class CrmCollection : ICollectionFixture<CrmApp>
{
    public const string Name = "crm app";
}
