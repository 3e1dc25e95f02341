using Microsoft.EntityFrameworkCore;
using MimeKit;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Tests.Reminders;

namespace Xuhui.Crm.Web.Tests.Scaling;

/// <summary>
/// Two instances send one outbox batch over a slow SMTP server; one is killed mid-batch (SIGKILL, nothing flushed).
/// The other finishes the batch: every message is delivered, and the only possible duplicate is the one the dead
/// instance had handed to the server, resent after the sending lease and recorded in InterruptedSends.
/// </summary>
[Trait("Provider", "PostgresOnly")]
public sealed class FailoverTests
{
    private const int Messages = 60;

    [Fact]
    public async Task Killing_an_instance_mid_batch_leaves_the_other_to_deliver_every_message_with_at_most_the_one_in_flight_twice()
    {
        Assert.True(TestProvider.IsPostgres, "PostgreSQL-only: run through tests/run.sh or set XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG");
        var database = TestProvider.CreateDatabase("failover");
        await using var smtp = new LoopbackSmtp();
        try
        {
            // 150 ms per message: the batch takes seconds, so the kill lands mid-batch and most likely mid-send.
            smtp.Reply = _ =>
            {
                Thread.Sleep(150);
                return null;
            };

            await using var a = ServiceProcess.Start(Environment(database, smtp, "a"));
            await using var b = ServiceProcess.Start(Environment(database, smtp, "b"));
            await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), b.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));

            await QueueAsync(database);
            await WaitUntilAsync(() => Task.FromResult(smtp.Accepted.Count >= Messages / 4), TimeSpan.FromSeconds(60), "the batch to start");
            await a.DisposeAsync(); // kill -9

            await using var db = TestProvider.OpenContext(database);
            await WaitUntilAsync(
                async () => await db.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent) == Messages,
                TimeSpan.FromSeconds(60),
                "every message to be sent by the surviving instance");

            var rows = await db.Outbox.AsNoTracking().ToListAsync();
            var received = smtp.Accepted.SelectMany(r => r.Recipients).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(rows, m => Assert.True(received.ContainsKey(m.Recipient), $"{m.Recipient} never received its message"));
            var twice = received.Where(r => r.Value > 1).Select(r => r.Key).ToList();
            Assert.True(twice.Count <= 1, $"more than the one message in flight was sent twice: {string.Join(", ", twice)}");
            Assert.All(twice, r => Assert.Equal(1, rows.Single(m => m.Recipient == r).InterruptedSends));
            Assert.True(rows.Sum(m => m.InterruptedSends) <= 1, "only the dead instance's message in flight is recovered");
            Assert.Equal(Messages, received.Count);
        }
        finally
        {
            TestProvider.Drop(database);
        }
    }

    private static Dictionary<string, string> Environment(string database, LoopbackSmtp smtp, string instance) => new()
    {
        ["Crm__Database__Provider"] = "Postgres",
        // The instances share the key ring, so they share the key that encrypts it.
        ["Crm__DataProtection__KeyEncryptionKey"] = TestProvider.KeyEncryptionKey,
        ["Crm__Database__ConnectionString"] = TestProvider.ConnectionString(database),
        ["Crm__DataDirectory"] = TemplateDatabase.NewDirectory($"failover-{instance}"),
        ["Crm__Bootstrap__AdminPassword"] = "Failover-pass-42",
        ["Crm__Seed__Demo"] = "false",
        ["Crm__Jobs__Enabled"] = "false",
        ["Crm__Smtp__Host"] = "127.0.0.1",
        ["Crm__Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Crm__Smtp__Security"] = "None",
        ["Crm__Smtp__TimeoutSeconds"] = "10",
        ["Crm__Smtp__PollSeconds"] = "1",
        ["Crm__Smtp__SendingLeaseSeconds"] = "5",
    };

    /// <summary>The batch as the digest composer leaves it: pending rows with their whole MIME text.</summary>
    private static async Task QueueAsync(string database)
    {
        await using var db = TestProvider.OpenContext(database);
        var now = DateTime.UtcNow;
        for (var i = 1; i <= Messages; i++)
        {
            var recipient = $"officer{i:D2}@xuhui.example";
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("crm@xuhui.example"));
            message.To.Add(MailboxAddress.Parse(recipient));
            message.Subject = $"每日提醒 {i}";
            message.Body = new TextPart("plain") { Text = $"第 {i} 封" };
            using var mime = new MemoryStream();
            await message.WriteToAsync(mime);
            db.Outbox.Add(new OutboxMessage
            {
                Recipient = recipient,
                Kind = "daily-digest",
                SubjectKey = "digest",
                OccurredOn = DateOnly.FromDateTime(now),
                Subject = message.Subject,
                MessageId = $"<failover-{i}@xuhui-crm.local>",
                Mime = mime.ToArray(),
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        await db.SaveChangesAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
