using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>A composed message and the key of the occurrence it reports.</summary>
public sealed record OutboxDraft(MimeMessage Message, string Recipient, long? RecipientUserId, string Kind, string SubjectKey, DateOnly OccurredOn);

/// <summary>Composing side of the outbox: queues drafts whose key is not queued yet; sending is the dispatcher's job.</summary>
public sealed class OutboxWriter(CrmDbContext db, TimeProvider clock)
{
    /// <summary>Queues the drafts not already queued; returns how many were new.</summary>
    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxDraft> drafts, CancellationToken ct)
    {
        if (drafts.Count == 0)
        {
            return 0;
        }

        var dates = drafts.Select(d => d.OccurredOn).Distinct().ToList();
        var kinds = drafts.Select(d => d.Kind).Distinct().ToList();
        var existing = (await db.Outbox.AsNoTracking()
                .Where(m => dates.Contains(m.OccurredOn) && kinds.Contains(m.Kind))
                .Select(m => new { m.Recipient, m.Kind, m.SubjectKey, m.OccurredOn })
                .ToListAsync(ct))
            .Select(k => (k.Recipient, k.Kind, k.SubjectKey, k.OccurredOn))
            .ToHashSet();

        var now = clock.GetUtcNow().UtcDateTime;
        var added = new List<OutboxMessage>();
        foreach (var d in drafts)
        {
            var recipient = d.Recipient.Trim().ToLowerInvariant();
            if (!existing.Add((recipient, d.Kind, d.SubjectKey, d.OccurredOn)))
            {
                continue;
            }

            d.Message.MessageId = MessageIdFor(recipient, d.Kind, d.SubjectKey, d.OccurredOn);
            using var stream = new MemoryStream();
            await d.Message.WriteToAsync(stream, ct);
            added.Add(new OutboxMessage
            {
                Recipient = recipient,
                RecipientUserId = d.RecipientUserId,
                Kind = d.Kind,
                SubjectKey = d.SubjectKey,
                OccurredOn = d.OccurredOn,
                Subject = d.Message.Subject ?? string.Empty,
                MessageId = d.Message.MessageId,
                Mime = stream.ToArray(),
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        if (added.Count == 0)
        {
            return 0;
        }

        db.Outbox.AddRange(added);
        try
        {
            await db.SaveChangesAsync(ct);
            return added.Count;
        }
        catch (DbUpdateException e) when (!Shared.StorageFull.Is(e))
        {
            // Another composer queued some of these meanwhile: the unique key keeps one; queue the rest one by one.
            db.ChangeTracker.Clear();
            var count = 0;
            foreach (var message in added)
            {
                message.Id = 0;
                db.Outbox.Add(message);
                try
                {
                    await db.SaveChangesAsync(ct);
                    count++;
                }
                catch (DbUpdateException one) when (!Shared.StorageFull.Is(one))
                {
                    db.ChangeTracker.Clear();
                }
            }

            return count;
        }
    }

    /// <summary>Stable per occurrence, so a resent message carries the same Message-Id and clients can fold the copies.</summary>
    public static string MessageIdFor(string recipient, string kind, string subjectKey, DateOnly occurredOn)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{recipient}\n{kind}\n{subjectKey}\n{occurredOn:yyyy-MM-dd}"));
        return $"{kind}.{occurredOn:yyyyMMdd}.{Convert.ToHexStringLower(hash)[..20]}@xuhui-crm.local";
    }
}
