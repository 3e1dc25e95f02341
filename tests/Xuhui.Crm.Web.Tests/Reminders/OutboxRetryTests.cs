using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmtpServer.Protocol;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>Mail after faults: the bulk retry after an outage, the retry budget as time, and the sender's pooled connection.</summary>
[Collection(RemindersCollection.Name)]
public sealed class OutboxRetryTests
{
    private static readonly DateOnly Monday = new(2026, 3, 9);

    /// <summary>A server that says 451 to everything while down; one transient failure is the whole budget, and a round does not stop early.</summary>
    private static Dictionary<string, string?> Settings(LoopbackSmtp smtp, params (string Key, string Value)[] extra)
    {
        var settings = smtp.Settings;
        settings["Crm:Smtp:MaxConsecutiveTransientFailures"] = "1000";
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        return settings;
    }

    [Fact]
    public async Task After_an_outage_an_admin_requeues_every_failed_message_at_once_or_those_matching_a_filter()
    {
        var down = true;
        await using var smtp = new LoopbackSmtp { Reply = _ => down ? new SmtpResponse((SmtpReplyCode)451, "4.3.0 Try again later") : null };
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), Settings(smtp, ("Crm:Smtp:MaxAttempts", "1")));
        Assert.Equal(5, await OutboxSeed.QueueAsync(host, 5, 200, Monday));
        Assert.Equal(3, await OutboxSeed.QueueAsync(host, 3, 200, Monday.AddDays(1)));
        var first = await DeliveryTests.DispatchAsync(host);
        Assert.Equal(8, first.Failed);
        Assert.Equal(8, await FailedAsync(host));

        var admin = await host.AdminAsync();
        await host.AddUserAsync("officer1", "王晓明", Roles.Officer, "o1@xuhui.example");
        var officer = await host.LoginAsync("officer1", "Passw0rd-officer1");
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync("/api/admin/outbox/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().PostAsync("/api/admin/outbox/retry", null)).StatusCode);

        // Bad filters name the field and change nothing.
        var bad = await admin.PostAsync("/api/admin/outbox/retry?from=2026-03-10&to=2026-03-09", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"to\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        bad = await admin.PostAsync($"/api/admin/outbox/retry?kind={new string('k', 65)}", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"kind\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/admin/outbox/retry?from=yesterday", null)).StatusCode);
        Assert.Equal(8, await FailedAsync(host));

        // A filter that matches nothing requeues nothing.
        var none = await (await admin.PostAsync("/api/admin/outbox/retry?kind=monthly-report", null)).Content.ReadFromJsonAsync<RetryView>();
        Assert.Equal(0, none!.Retried);

        // The server is back: one day's messages first, then the rest.
        down = false;
        var response = await admin.PostAsync($"/api/admin/outbox/retry?kind={OutboxSeed.Kind}&from=2026-03-10&to=2026-03-10", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<RetryView>())!.Retried);
        Assert.Equal(5, await FailedAsync(host));
        Assert.Equal(3, (await DeliveryTests.DispatchAsync(host)).Sent);

        var all = await (await admin.PostAsync("/api/admin/outbox/retry", null)).Content.ReadFromJsonAsync<RetryView>();
        Assert.Equal(5, all!.Retried);
        Assert.Equal(5, (await DeliveryTests.DispatchAsync(host)).Sent);
        Assert.Equal(8, smtp.Accepted.Select(r => r.Message.MessageId).Distinct().Count());
        Assert.Equal(0, (await (await admin.PostAsync("/api/admin/outbox/retry", null)).Content.ReadFromJsonAsync<RetryView>())!.Retried);
        Assert.Equal(8, await host.WithDbAsync(db => db.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent)));
    }

    [Fact]
    public async Task With_a_retry_budget_in_hours_a_day_long_outage_ends_delivered_and_a_longer_one_ends_failed()
    {
        var down = true;
        await using var smtp = new LoopbackSmtp { Reply = _ => down ? new SmtpResponse((SmtpReplyCode)451, "4.3.0 Try again later") : null };
        await using var host = CrmFactory.On(
            CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30),
            Settings(smtp, ("Crm:Smtp:MaxAttempts", "2"), ("Crm:Smtp:RetryBudgetHours", "30")));
        await OutboxSeed.QueueAsync(host, 2, 200, Monday);
        var late = Monday.AddDays(1);

        // 24 hours of 451s: far more attempts than MaxAttempts, still waiting, because the budget is time.
        for (var step = 0; step < 24 * 4; step++)
        {
            await DeliveryTests.DispatchAsync(host);
            host.Clock.Advance(TimeSpan.FromMinutes(15));
        }

        var waiting = await host.WithDbAsync(db => db.Outbox.AsNoTracking().ToListAsync());
        Assert.All(waiting, m => Assert.Equal(OutboxStatus.Pending, m.Status));
        Assert.All(waiting, m => Assert.True(m.Attempts > 2, $"{m.Attempts} attempts"));

        // A message queued now gets its own 30 hours; the first two run out of theirs 6 hours later.
        await OutboxSeed.QueueAsync(host, 1, 200, late);
        for (var step = 0; step < 7 * 4; step++)
        {
            await DeliveryTests.DispatchAsync(host);
            host.Clock.Advance(TimeSpan.FromMinutes(15));
        }

        var rows = await host.WithDbAsync(db => db.Outbox.AsNoTracking().ToListAsync());
        Assert.Equal(2, rows.Count(m => m.OccurredOn == Monday && m.Status == OutboxStatus.Failed));
        Assert.Contains("30 小时", rows.First(m => m.Status == OutboxStatus.Failed).LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Pending, rows.Single(m => m.OccurredOn == late).Status);

        down = false;
        host.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(1, (await DeliveryTests.DispatchAsync(host)).Sent);
        Assert.Single(smtp.Accepted);
    }

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    public async Task Sending_leaves_every_pooled_connection_at_the_service_s_synchronous_level()
    {
        // No SMTP host: the messages become .eml files, through the same dispatcher round.
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30));
        var service = await host.WithDbAsync(db => ReadSynchronousAsync(db));
        Assert.NotEqual(1L, service); // NORMAL is what the sender lowers to: the check below could not tell otherwise

        await OutboxSeed.QueueAsync(host, 3, 200, Monday);
        for (var round = 0; round < 3; round++)
        {
            await DeliveryTests.DispatchAsync(host);
        }

        Assert.Equal(3, await host.WithDbAsync(db => db.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent)));

        // Hold many connections at once: the pool hands out every idle physical connection (the sender's among them)
        // before it opens a new one, so each is read here by its own handle.
        var scopes = Enumerable.Range(0, 16).Select(_ => host.Services.CreateAsyncScope()).ToList();
        try
        {
            var handles = new HashSet<SQLitePCL.sqlite3>(ReferenceEqualityComparer.Instance);
            foreach (var scope in scopes)
            {
                var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
                await db.Database.OpenConnectionAsync();
                handles.Add(((SqliteConnection)db.Database.GetDbConnection()).Handle!);
                Assert.Equal(service, await ReadSynchronousAsync(db));
            }

            Assert.Equal(16, handles.Count);
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }

    private static async Task<long> ReadSynchronousAsync(CrmDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task<int> FailedAsync(CrmFactory host) => host.WithDbAsync(db => db.Outbox.CountAsync(m => m.Status == OutboxStatus.Failed));

    private sealed record RetryView(int Retried, string Message);
}
