using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>The outbox by status, a page at a time, and one stored message: for the API and the page.</summary>
public static class ListOutbox
{
    public sealed record Query(string? Status, int? Page, int? PageSize);

    public static async Task<Outcome<OutboxPage>> HandleAsync(Query q, CrmDbContext db, OutboxDispatcher dispatcher, CancellationToken ct)
    {
        var query = db.Outbox.AsNoTracking();
        if (q.Status is not null)
        {
            if (!Json.TryParseEnum<OutboxStatus>(q.Status, out var s))
            {
                return Outcome.Invalid("status", Text.F("取值应为 {0}", Json.Allowed<OutboxStatus>()));
            }

            query = query.Where(m => m.Status == s);
        }

        var p = Math.Max(1, q.Page ?? 1);
        var size = Math.Clamp(q.PageSize ?? 50, 1, 500);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(m => m.Id).Skip((p - 1) * size).Take(size)
            .Select(m => new OutboxDto(
                m.Id, m.Recipient, m.RecipientUserId, m.Kind, m.SubjectKey, m.OccurredOn, m.Subject, m.Status, m.Attempts,
                m.LastError, m.InterruptedSends, m.CreatedAt, m.NextAttemptAt, m.LastAttemptAt, m.SentAt))
            .ToListAsync(ct);
        var counts = (await db.Outbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(g => Json.EnumText(g.Key), g => g.Count);
        return Outcome.Ok(new OutboxPage(items, total, p, size, counts, dispatcher.Transport));
    }

    /// <summary>The stored MIME message, as sent.</summary>
    public static async Task<Outcome<byte[]>> EmlAsync(long id, CrmDbContext db, CancellationToken ct)
    {
        var mime = await db.Outbox.AsNoTracking().Where(m => m.Id == id).Select(m => m.Mime).FirstOrDefaultAsync(ct);
        return mime is null ? Outcome.NotFound(RetryOutbox.NotFound(id)) : Outcome.Ok(mime);
    }

    public static string EmlFileName(long id) => $"{id:D8}.eml";
}
