using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Features.Imports;
using Xuhui.Crm.Web.Features.Exports;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Tests.Scaling;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>
/// A digest run killed (SIGKILL) while it runs, and an import whose process died: on the next start the dead runs are
/// closed as "interrupted", the digest job runs again by itself, and the digest still goes out once.
/// </summary>
[Collection(RemindersCollection.Name)]
[Trait("Category", "Crash")]
[Trait("Provider", "SqliteOnly")]
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task A_digest_killed_mid_run_runs_again_on_restart_and_the_dead_runs_show_as_interrupted()
    {
        var watch = Stopwatch.StartNew();
        var data = CrmFactory.NewDataDirectory();
        await using (var setup = CrmFactory.On(data, new FakeTimeProvider(DateTimeOffset.UtcNow)))
        {
            await DeliveryTests.SeedOneOfficerWithATaskAsync(setup);
        }

        // A server that accepts the connection and never greets: the run composes, then hangs in its send.
        using var silent = new TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await silent.AcceptTcpClientAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        });

        var first = ServiceProcess.Start(Environment(data, ((System.Net.IPEndPoint)silent.LocalEndpoint).Port));
        try
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            using var admin = await LoginAsync(first);
            Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/admin/jobs/daily-digest/run", null)).StatusCode);
            await UntilAsync(
                () => Read(data, db => db.JobRuns.AnyAsync(r => r.JobName == JobNames.DailyDigest && r.Outcome == JobOutcome.Running))
                    .ContinueWith(t => t.Result && Read(data, db => db.Outbox.AnyAsync()).Result),
                TimeSpan.FromSeconds(30), first);
        }
        finally
        {
            await first.DisposeAsync(); // SIGKILL
        }

        silent.Stop();
        held.ForEach(c => c.Dispose());
        await accepting;
        var killed = await Read(data, db => db.JobRuns.AsNoTracking().SingleAsync(r => r.JobName == JobNames.DailyDigest));
        Assert.Equal(JobOutcome.Running, killed.Outcome);

        // An import whose process died as well: its history row was left "running".
        var import = await Read(data, async db =>
        {
            var run = new ImportRun { UserId = 1, FileName = "企业名单.xlsx", Format = "xlsx", Status = ImportStatus.Running, StartedAt = DateTime.UtcNow.AddMinutes(-1), RowsRead = 5000 };
            db.ImportRuns.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });

        await using var smtp = new LoopbackSmtp();
        await using var second = ServiceProcess.Start(Environment(data, smtp.Port));
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var again = await LoginAsync(second);
        await UntilAsync(
            () => Read(data, db => db.JobRuns.AnyAsync(r => r.JobName == JobNames.DailyDigest && r.Id != killed.Id && r.Outcome != JobOutcome.Running)),
            TimeSpan.FromSeconds(60), second);
        await UntilAsync(() => Task.FromResult(!smtp.Accepted.IsEmpty), TimeSpan.FromSeconds(30), second);
        // Nothing is left that could send again: every outbox row is marked sent and the digest's trigger has moved on to a
        // later fire time (no misfire is waiting to run it once more).
        await UntilAsync(async () => await Read(data, db => db.Outbox.AllAsync(m => m.Status == OutboxStatus.Sent))
            && (await again.GetFromJsonAsync<JsonArray>("/api/admin/jobs"))!.Single(j => j!["name"]!.GetValue<string>() == JobNames.DailyDigest)!["nextFireTime"]
                is JsonNode next && next.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), second);

        var runs = await again.GetFromJsonAsync<JsonArray>("/api/admin/jobs/daily-digest/runs");
        Assert.Equal(2, runs!.Count);
        Assert.Equal("interrupted", runs[1]!["outcome"]!.GetValue<string>());
        Assert.Equal(killed.Id, runs[1]!["id"]!.GetValue<long>());
        Assert.NotNull(runs[1]!["finishedAt"]);
        Assert.NotEqual("running", runs[0]!["outcome"]!.GetValue<string>());
        Assert.NotEqual("failed", runs[0]!["outcome"]!.GetValue<string>());
        Assert.False(runs[0]!["manual"]!.GetValue<bool>() && runs[0]!["outcome"]!.GetValue<string>() == "skipped");

        var history = await again.GetFromJsonAsync<JsonArray>("/api/imports");
        var interrupted = history!.Single(r => r!["id"]!.GetValue<long>() == import)!;
        Assert.Equal("interrupted", interrupted["status"]!.GetValue<string>());

        // The digest went out once: the outbox key held across the kill and the re-run.
        Assert.Single(smtp.Accepted.Select(r => r.Message.MessageId).Distinct());
        Assert.Single(smtp.Accepted);
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), $"took {watch.Elapsed}");
    }

    private static Dictionary<string, string> Environment(string data, int smtpPort) => new()
    {
        ["Crm__DataDirectory"] = data,
        ["Crm__Bootstrap__AdminPassword"] = CrmFactory.SharedAdminPassword,
        ["Crm__Seed__Demo"] = "false",
        ["Crm__Jobs__Enabled"] = "true",
        ["Crm__Smtp__Host"] = "127.0.0.1",
        ["Crm__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Crm__Smtp__Security"] = "None",
        ["Crm__Smtp__TimeoutSeconds"] = "60",
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_TieredPGO"] = "0",
    };

    private static async Task<HttpClient> LoginAsync(ServiceProcess service)
    {
        var client = new HttpClient { BaseAddress = service.Address };
        var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", CrmFactory.SharedAdminPassword));
        response.EnsureSuccessStatusCode();
        var login = await response.Content.ReadFromJsonAsync<LoginResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
        return client;
    }

    private static async Task<T> Read<T>(string data, Func<CrmDbContext, Task<T>> work)
    {
        await using var db = new CrmDbContext(DatabaseSetup.Options(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(data, "crm.db")};Pooling=False"));
        return await work(db);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, ServiceProcess service)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout}; the service's output:\n{service.Output}");
            }

            await Task.Delay(200);
        }
    }
}
