using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Scaling;

/// <summary>
/// Two instances of the built service on one PostgreSQL database, as behind a load balancer: what one signs or
/// protects the other reads, and the clustered scheduler fires the daily digest on exactly one of them.
/// </summary>
[Trait("Provider", "PostgresOnly")]
public sealed partial class TwoInstanceTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private readonly ServiceProcess _a = instances.A;
    private readonly ServiceProcess _b = instances.B;
    private readonly string _database = instances.Database;
    private readonly DateTime _digestAtUtc = instances.DigestAtUtc;

    [Fact]
    public async Task A_sign_in_cookie_and_an_antiforgery_token_from_one_instance_are_accepted_by_the_other()
    {
        // Cookies are kept per host, not per port: like a load balancer, the two loopback instances are one site.
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var client = new HttpClient(handler);

        // The login form (and its antiforgery cookie) from A, posted to B: B must unprotect A's token.
        var form = await client.GetStringAsync(new Uri(_a.Address, "/login"));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        using var login = await client.PostAsync(new Uri(_b.Address, "/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin",
            ["Password"] = TwoInstances.AdminPassword,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.True(login.StatusCode == HttpStatusCode.Redirect, $"login on B with A's form: {(int)login.StatusCode} {_b.Output}");
        Assert.Contains(cookies.GetCookies(_b.Address), c => c.Name == "xuhui.auth");

        // The sign-in cookie B issued, on A: the firms page opens instead of redirecting to /login.
        using var page = await client.GetAsync(new Uri(_a.Address, "/firms"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // And without it, A does redirect: the cookie is what let us in.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var refused = await anonymous.GetAsync(new Uri(_a.Address, "/firms"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }

    [Fact]
    public async Task The_daily_digest_executes_on_exactly_one_instance()
    {
        // Wait for the fire time; then for the cluster to be done with it (below), instead of for a second run that never comes.
        var wait = _digestAtUtc - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await using var db = TestProvider.OpenContext(_database);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && await db.JobRuns.CountAsync(r => r.JobName == JobNames.DailyDigest && r.FinishedAt != null) == 0)
        {
            await Task.Delay(250);
        }

        // The cluster is done with this fire time when the shared trigger row points past it and no instance holds a fired
        // trigger: neither instance can start the digest for it again.
        var trigger = JobsSetup.DailyTrigger(JobNames.DailyDigest);
        var settled = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < settled && !await db.Database.SqlQueryRaw<int>(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM qrtz_triggers WHERE trigger_name = {0} AND trigger_group = {1} AND next_fire_time > {2}) AND NOT EXISTS (SELECT 1 FROM qrtz_fired_triggers) THEN 1 ELSE 0 END AS \"Value\"",
            trigger.Name, trigger.Group, new DateTimeOffset(_digestAtUtc, TimeSpan.Zero).UtcTicks).SingleAsync().ContinueWith(t => t.Result == 1))
        {
            await Task.Delay(250);
        }

        var runs = await db.JobRuns.AsNoTracking().Where(r => r.JobName == JobNames.DailyDigest).ToListAsync();
        var run = Assert.Single(runs);
        Assert.False(run.Manual);
        Assert.NotEqual(JobOutcome.Failed, run.Outcome);
        Assert.Equal(_digestAtUtc, run.ScheduledFor);

        // Both instances are members of one cluster: each has checked in under the same scheduler name.
        var instances = await db.Database.SqlQueryRaw<string>("SELECT instance_name AS \"Value\" FROM qrtz_scheduler_state").ToListAsync();
        Assert.Equal(2, instances.Count);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>Two instances on a database of their own, started once for the class.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public const string AdminPassword = "Two-instances-42";

    public string Database { get; private set; } = string.Empty;
    public ServiceProcess A { get; private set; } = null!;
    public ServiceProcess B { get; private set; } = null!;
    public DateTime DigestAtUtc { get; private set; }

    public async Task InitializeAsync()
    {
        Assert.True(TestProvider.IsPostgres, "PostgreSQL-only: run through tests/run.sh or set XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG");
        Database = TestProvider.CreateDatabase("twoinstances");

        // The digest is scheduled at a whole minute in Shanghai: the first one at least 40 s away, so both instances are
        // up (and clustered) before it fires; were one late, the misfire policy still fires it once.
        var now = DateTime.UtcNow;
        var at = now.AddSeconds(40);
        DigestAtUtc = new DateTime(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        var local = ShanghaiTime.ToLocal(DigestAtUtc);

        A = ServiceProcess.Start(Environment("a", local));
        B = ServiceProcess.Start(Environment("b", local));
        await Task.WhenAll(A.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), B.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        TestProvider.Drop(Database);
    }

    private Dictionary<string, string> Environment(string instance, DateTime digestLocal) => new()
    {
        ["Crm__Database__Provider"] = "Postgres",
        // The instances share the key ring, so they share the key that encrypts it.
        ["Crm__DataProtection__KeyEncryptionKey"] = TestProvider.KeyEncryptionKey,
        ["Crm__Database__ConnectionString"] = TestProvider.ConnectionString(Database),
        ["Crm__DataDirectory"] = TemplateDatabase.NewDirectory($"instance-{instance}"),
        ["Crm__Bootstrap__AdminPassword"] = AdminPassword,
        ["Crm__Seed__Demo"] = "false",
        ["Crm__Reminders__DigestTime"] = digestLocal.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        ["Crm__Jobs__ClusterCheckinSeconds"] = "2",
        ["Crm__Jobs__ClusterCheckinMisfireSeconds"] = "10",
    };
}
