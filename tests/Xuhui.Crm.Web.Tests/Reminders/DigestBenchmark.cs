using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>
/// A benchmark, not a test: it seeds 150,000 rows. tests/run.sh leaves out the Benchmark category; run it with
/// <c>dotnet test tests/Xuhui.Crm.Web.Tests --filter Category=Benchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(RemindersCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class DigestBenchmark(ITestOutputHelper output)
{
    [Fact]
    public async Task Digests_for_200_officers_over_50000_firms_and_100000_open_tasks()
    {
        var today = new DateOnly(2026, 3, 9);
        // XUHUI_BENCH_SMTP_NAGLE=1 runs the loopback server as it was before Nagle was switched off on its side.
        await using var smtp = new LoopbackSmtp(noDelay: Environment.GetEnvironmentVariable("XUHUI_BENCH_SMTP_NAGLE") != "1");
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), smtp.Settings);
        await SeedAsync(host, today, officers: 200, firms: 50_000, tasks: 100_000);

        var compose = Stopwatch.StartNew();
        var composed = await host.WithScopeAsync(sp => sp.GetRequiredService<DigestComposer>().ComposeAsync(today, CancellationToken.None));
        compose.Stop();
        var send = Stopwatch.StartNew();
        var sent = await host.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
        send.Stop();

        var size = await host.WithDbAsync(db => db.Outbox.AverageAsync(m => (double)m.Mime.Length));
        var items = await host.WithDbAsync(db => db.Outbox.CountAsync());
        output.WriteLine($"average digest {size / 1024:F0} KiB over {items} messages");
        output.WriteLine($"composed {composed.Queued} digests in {compose.ElapsedMilliseconds} ms; sent {sent.Sent} over loopback SMTP in {send.ElapsedMilliseconds} ms");
        Assert.Equal(200, composed.Queued);
        Assert.Equal(200, sent.Sent);
        Assert.Equal(200, smtp.Accepted.Count);
        Assert.True(compose.Elapsed < TimeSpan.FromSeconds(5), $"compose took {compose.Elapsed}");
        Assert.True(send.Elapsed < TimeSpan.FromSeconds(10), $"send took {send.Elapsed}");
    }

    /// <summary>Bulk rows through one transaction and reused commands; EF's audit trail would make seeding the slow part.</summary>
    private static async Task SeedAsync(CrmFactory host, DateOnly today, int officers, int firms, int tasks)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "crm.db")}");
        await connection.OpenAsync();
        _ = host.Services; // migrated by now
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        var now = ShanghaiTime.ToUtc(today, new TimeOnly(8, 0)).ToString("yyyy-MM-dd HH:mm:ss");
        var random = new Random(42);

        var user = connection.CreateCommand();
        user.CommandText = "INSERT INTO Users (Version, UserName, DisplayName, Email, Role, PasswordHash, IsActive, SecurityStamp, FailedLogins, CreatedAt, UpdatedAt) VALUES (1, $u, $d, $e, 'officer', '', 1, 'x', 0, $t, $t) RETURNING Id";
        var officerIds = new List<long>();
        for (var i = 0; i < officers; i++)
        {
            user.Parameters.Clear();
            user.Parameters.AddWithValue("$u", $"officer{i}");
            user.Parameters.AddWithValue("$d", $"专员{i:D3}");
            user.Parameters.AddWithValue("$e", $"officer{i}@xuhui.example");
            user.Parameters.AddWithValue("$t", now);
            officerIds.Add((long)(await user.ExecuteScalarAsync())!);
        }

        var firm = connection.CreateCommand();
        firm.CommandText = "INSERT INTO Firms (Version, Name, FormerNames, CreditCodeOverride, IsProspect, DistrictCode, DistrictName, Tier, Status, IsArchived, LeadOfficerId, AssignedOn, LastVisitOn, CreatedAt, UpdatedAt, SearchText) " +
            "VALUES (1, $n, '[]', 0, 1, '310104', '徐汇区', $tier, 'Active', 0, $lead, $assigned, $last, $t, $t, $n)";
        var n = firm.Parameters.Add("$n", SqliteType.Text);
        var tier = firm.Parameters.Add("$tier", SqliteType.Text);
        var lead = firm.Parameters.Add("$lead", SqliteType.Integer);
        var assigned = firm.Parameters.Add("$assigned", SqliteType.Text);
        var last = firm.Parameters.Add("$last", SqliteType.Text);
        firm.Parameters.AddWithValue("$t", now);
        for (var i = 0; i < firms; i++)
        {
            n.Value = $"上海徐汇测试企业{i:D5}有限公司";
            tier.Value = i % 10 == 0 ? "Key" : "Regular";
            lead.Value = officerIds[i % officers];
            assigned.Value = today.AddDays(-400).ToString("yyyy-MM-dd");
            last.Value = today.AddDays(-random.Next(0, 200)).ToString("yyyy-MM-dd");
            await firm.ExecuteNonQueryAsync();
        }

        var task = connection.CreateCommand();
        task.CommandText = "INSERT INTO Tasks (Version, FirmId, AssigneeId, Title, Kind, DueOn, Status, CreatedById, CreatedAt, UpdatedAt) VALUES (1, $f, $a, $title, 'follow-up', $due, 'Open', $a, $t, $t)";
        var f = task.Parameters.Add("$f", SqliteType.Integer);
        var a = task.Parameters.Add("$a", SqliteType.Integer);
        var title = task.Parameters.Add("$title", SqliteType.Text);
        var due = task.Parameters.Add("$due", SqliteType.Text);
        task.Parameters.AddWithValue("$t", now);
        for (var i = 0; i < tasks; i++)
        {
            var firmIndex = random.Next(firms);
            f.Value = firmIndex + 1;
            a.Value = officerIds[firmIndex % officers];
            title.Value = $"跟进事项 {i}";
            due.Value = today.AddDays(random.Next(-30, 60)).ToString("yyyy-MM-dd");
            await task.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        Assert.Equal(firms, await host.WithDbAsync(db => db.Firms.CountAsync()));
    }
}
