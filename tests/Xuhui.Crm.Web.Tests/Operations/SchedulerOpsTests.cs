using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Quartz;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

/// <summary>A host with the scheduler running: the nightly backup job, readiness of scheduler and outbox, the admins' digest.</summary>
public sealed class SchedulerOpsTests(SchedulerOpsTests.Factory factory) : IClassFixture<SchedulerOpsTests.Factory>
{
    public sealed class Factory : CrmFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Crm:Jobs:Enabled", "true")];
    }

    // An SQLite backup file; on PostgreSQL the job records "skipped" (ClusteredStoreTests).
    [Trait("Provider", "SqliteOnly")]
    [Fact]
    public async Task Running_the_nightly_backup_job_records_a_verified_backup()
    {
        using var admin = await factory.AdminAsync();
        var jobs = await admin.GetJsonAsync("/api/admin/jobs");
        Assert.Contains(jobs.AsArray(), j => j.Str("name") == "nightly-backup" && j!["nextFireTime"] is not null);

        using var run = await admin.PostAsync(new Uri("/api/admin/jobs/nightly-backup/run", UriKind.Relative), null);
        await run.ExpectAsync(HttpStatusCode.Accepted);

        BackupRecord? backup = null;
        for (var i = 0; i < 100 && backup is null; i++)
        {
            await Task.Delay(100);
            backup = await factory.WithDbAsync(db => db.Backups.AsNoTracking().FirstOrDefaultAsync());
        }

        Assert.NotNull(backup);
        Assert.True(backup.Succeeded, backup.Error);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "backups", backup.FileName)));
    }

    [Fact]
    public async Task Readiness_reports_the_scheduler_and_turns_unhealthy_when_it_stops()
    {
        using var anonymous = factory.Anonymous();
        var body = await (await anonymous.GetAsync("/health/ready")).JsonAsync();
        Assert.Equal("Healthy", body["entries"]!["scheduler"].Str("status"));

        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        try
        {
            using var response = await anonymous.GetAsync("/health/ready");
            var stopped = await response.JsonAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", stopped["entries"]!["scheduler"].Str("status"));
        }
        finally
        {
            await scheduler.Start();
        }
    }

    [Fact]
    public async Task A_failed_message_makes_the_outbox_check_degraded_with_its_count()
    {
        await factory.WithDbAsync(async db =>
        {
            db.Outbox.Add(new OutboxMessage
            {
                Recipient = "x@example.test", Kind = "test", SubjectKey = "degraded", OccurredOn = new DateOnly(2026, 6, 15), Subject = "s",
                MessageId = "m1@test", Mime = [], Status = OutboxStatus.Failed, LastError = "550 no such user",
                CreatedAt = factory.Clock.GetUtcNow().UtcDateTime, NextAttemptAt = factory.Clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
        });

        using var anonymous = factory.Anonymous();
        var body = await (await anonymous.GetAsync("/health/ready")).JsonAsync();
        var outbox = body["entries"]!["outbox"]!;
        Assert.Equal("Degraded", outbox.Str("status"));
        Assert.Equal(1, outbox["data"]!["failed"]!.GetValue<int>());
    }
}

public sealed class OperationsPrivacyTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_failed_backup_appears_in_the_admins_reminders_and_not_in_an_officers()
    {
        var (_, officer) = await factory.UserAndClientAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        await factory.WithDbAsync(async db =>
        {
            db.Backups.Add(new BackupRecord { FileName = "crm-x.db", StartedAt = factory.Clock.GetUtcNow().UtcDateTime, Succeeded = false, Error = "disk full" });
            await db.SaveChangesAsync();
        });

        var mine = await admin.GetJsonAsync("/api/reminders");
        Assert.Contains(mine["items"]!.AsArray(), i => i.Str("kind") == "backup-problem" && i.Str("detail")!.Contains("disk full", StringComparison.Ordinal));
        var theirs = await officer.GetJsonAsync("/api/reminders");
        Assert.DoesNotContain(theirs["items"]!.AsArray(), i => i.Str("kind") == "backup-problem");
    }

    [Fact]
    public async Task The_audit_trail_masks_contact_details_for_a_viewer_and_shows_them_to_an_admin()
    {
        var (_, viewer) = await factory.UserAndClientAsync(Roles.Viewer);
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "陈五", phone = "13911112222", email = "chen@example.cn" }, HttpStatusCode.Created);

        var forViewer = await viewer.GetStringAsync(new Uri($"/api/firms/{firm.Id()}/audit", UriKind.Relative));
        var forAdmin = await admin.GetStringAsync(new Uri($"/api/firms/{firm.Id()}/audit", UriKind.Relative));

        Assert.DoesNotContain("13911112222", forViewer, StringComparison.Ordinal);
        Assert.DoesNotContain("chen@example.cn", forViewer, StringComparison.Ordinal);
        Assert.Contains("139****2222", forViewer, StringComparison.Ordinal);
        Assert.Contains("13911112222", forAdmin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasing_a_contact_scrubs_its_details_from_stored_messages_and_their_eml_copies()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "褚六", phone = "13700003333" }, HttpStatusCode.Created);
        var message = new MimeMessage { Subject = "走访安排：褚六" };
        message.From.Add(MailboxAddress.Parse("crm@example.test"));
        message.To.Add(MailboxAddress.Parse("officer@example.test"));
        message.Body = new TextPart("plain") { Text = "联系人 褚六，电话 13700003333，请提前联系。" };
        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer);
        var id = await factory.WithDbAsync(async db =>
        {
            var row = new OutboxMessage
            {
                Recipient = "officer@example.test", Kind = "test", SubjectKey = "erase", OccurredOn = new DateOnly(2026, 6, 15), Subject = message.Subject,
                MessageId = "m2@test", Mime = buffer.ToArray(), Status = OutboxStatus.Sent,
                CreatedAt = factory.Clock.GetUtcNow().UtcDateTime, NextAttemptAt = factory.Clock.GetUtcNow().UtcDateTime,
            };
            db.Outbox.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "outbox"));
        var eml = Path.Combine(factory.DataDirectory, "outbox", $"{id}.eml");
        await File.WriteAllBytesAsync(eml, buffer.ToArray());
        Assert.Contains("13700003333", Decode(buffer.ToArray()), StringComparison.Ordinal);

        using var erased = await admin.PostAsync(new Uri($"/api/contacts/{contact.Id()}/erase", UriKind.Relative), null);
        await erased.ExpectAsync(HttpStatusCode.NoContent);

        var stored = await factory.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id));
        foreach (var text in new[] { Decode(stored.Mime), Decode(await File.ReadAllBytesAsync(eml)), stored.Subject })
        {
            Assert.DoesNotContain("13700003333", text, StringComparison.Ordinal);
            Assert.DoesNotContain("褚六", text, StringComparison.Ordinal);
            Assert.Contains("[已删除]", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The decoded subject and text of a stored message: bodies are transfer-encoded, so raw bytes would hide the values.</summary>
    private static string Decode(byte[] mime)
    {
        using var stream = new MemoryStream(mime);
        var m = MimeMessage.Load(stream);
        var sb = new StringBuilder(m.Subject);
        foreach (var part in m.BodyParts.OfType<TextPart>())
        {
            sb.Append('\n').Append(part.Text);
        }

        return sb.ToString();
    }
}
