using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Outbox;

namespace Xuhui.Crm.Web.Features.Operations;

public static class ContactAccessLog
{
    /// <summary>Records a full view of contacts by someone who is not one of the firm's officers.</summary>
    public static async Task RecordAsync(CrmDbContext db, ClaimsPrincipal user, long firmId, IEnumerable<long> contactIds, string route, CancellationToken ct)
    {
        var me = user.UserId();
        var ids = contactIds.ToList();
        if (ids.Count == 0 || await db.Firms.AnyAsync(f => f.Id == firmId && (f.LeadOfficerId == me || db.FirmOfficers.Any(o => o.FirmId == f.Id && o.UserId == me)), ct))
        {
            return;
        }

        var now = db.Clock.GetUtcNow().UtcDateTime;
        db.ContactAccesses.AddRange(ids.Select(id => new ContactAccess { ContactId = id, FirmId = firmId, UserId = me, Route = route, At = now }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Records a bulk view (an export) of contacts, each of a firm the caller is not an officer of (the caller filters):
    /// the same rows as one list view per firm, written with multi-row INSERTs in one transaction, so an export of tens
    /// of thousands of firms costs a few hundred statements, not one per contact.
    /// </summary>
    public static async Task RecordManyAsync(CrmDbContext db, long userId, IReadOnlyCollection<(long ContactId, long FirmId)> seen, string route, CancellationToken ct)
    {
        if (seen.Count == 0)
        {
            return;
        }

        var now = db.Clock.GetUtcNow().UtcDateTime;
        using var saving = await WriteGate.EnterAsync(db.Gate, waitForBatch: true, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            using (var writer = new RowWriter(db.Model.FindEntityType(typeof(ContactAccess))!, db.Database.GetDbConnection(), tableAssignsKey: true)
            {
                Transaction = tx.GetDbTransaction(),
            })
            {
                foreach (var (contactId, firmId) in seen)
                {
                    writer.Add(new ContactAccess { ContactId = contactId, FirmId = firmId, UserId = userId, Route = route, At = now });
                }

                writer.Flush();
            }

            await tx.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public static class ContactErasure
{
    public const string ErasedName = "（已删除的联系人）";
    public const string Scrubbed = "[已删除]";

    /// <summary>
    /// Replaces the contact's values in every stored message (subject, text, HTML and calendar parts) and in the
    /// .eml copies of the file outbox. Messages are parsed, not searched as bytes: bodies are encoded.
    /// </summary>
    public static async Task<int> ScrubOutboxAsync(CrmDbContext db, IReadOnlyCollection<string> values, string dataDirectory, CancellationToken ct)
    {
        var secrets = values.Where(v => v.Length >= 2).Distinct().ToList();
        if (secrets.Count == 0)
        {
            return 0;
        }

        var changed = 0;
        long after = 0;
        while (true)
        {
            var batch = await db.Outbox.Where(m => m.Id > after).OrderBy(m => m.Id).Take(200).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                var scrubbed = Scrub(message.Mime, secrets);
                if (scrubbed is null)
                {
                    continue;
                }

                message.Mime = scrubbed;
                message.Subject = secrets.Aggregate(message.Subject, (text, secret) => text.Replace(secret, Scrubbed, StringComparison.Ordinal));
                changed++;
                var eml = Path.Combine(dataDirectory, "outbox", $"{message.Id}.eml");
                if (File.Exists(eml))
                {
                    await File.WriteAllBytesAsync(eml, scrubbed, ct);
                }
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }

        return changed;
    }

    private static byte[]? Scrub(byte[] mime, List<string> secrets)
    {
        using var input = new MemoryStream(mime);
        var message = MimeKit.MimeMessage.Load(input);
        var touched = false;
        if (message.Subject is { } subject && secrets.Any(s => subject.Contains(s, StringComparison.Ordinal)))
        {
            message.Subject = secrets.Aggregate(subject, (text, secret) => text.Replace(secret, Scrubbed, StringComparison.Ordinal));
            touched = true;
        }

        foreach (var part in message.BodyParts.OfType<MimeKit.TextPart>())
        {
            var text = part.Text;
            if (secrets.Any(s => text.Contains(s, StringComparison.Ordinal)))
            {
                part.SetText(part.ContentType.Charset ?? "utf-8", secrets.Aggregate(text, (t, secret) => t.Replace(secret, Scrubbed, StringComparison.Ordinal)));
                touched = true;
            }
        }

        if (!touched)
        {
            return null;
        }

        using var output = new MemoryStream();
        message.WriteTo(output);
        return output.ToArray();
    }

    /// <summary>Replaces every old and new value in the contact's audit rows; field names and times stay.</summary>
    public static async Task ScrubAuditAsync(CrmDbContext db, long contactId, CancellationToken ct)
    {
        var entries = await db.AuditEntries.Where(a => a.EntityType == nameof(Contact) && a.EntityId == contactId).ToListAsync(ct);
        foreach (var entry in entries)
        {
            entry.Changes = entry.Changes
                .Select(c => c.Field is nameof(Contact.FirmId) or nameof(Contact.IsArchived) or nameof(Contact.Version)
                    ? c
                    : new AuditChange(c.Field, c.Old is null ? null : Scrubbed, c.New is null ? null : Scrubbed))
                .ToList();
        }

        await db.SaveChangesAsync(ct);
    }
}
