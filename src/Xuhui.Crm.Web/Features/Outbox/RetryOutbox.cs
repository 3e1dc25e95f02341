using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>Puts failed messages back in the queue for the next round; their attempt counts carry on.</summary>
public static class RetryOutbox
{
    public sealed record Filter(string? Kind, DateOnly? From, DateOnly? To);

    public static string NotFound(long id) => Text.F("邮件 {0} 不存在", id);

    public static async Task<Outcome<OutboxDto>> OneAsync(long id, CrmDbContext db, TimeProvider clock, OutboxSignal signal, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var updated = await db.Outbox.Where(m => m.Id == id && m.Status == OutboxStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending).SetProperty(m => m.NextAttemptAt, now), ct);
        var m = await db.Outbox.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null)
        {
            return Outcome.NotFound(NotFound(id));
        }

        if (updated == 0)
        {
            return Outcome.Conflict(Text.F("只有发送失败的邮件可以重试，当前状态为 {0}", Json.EnumText(m.Status)));
        }

        signal.Signal();
        return Outcome.Ok(new OutboxDto(
            m.Id, m.Recipient, m.RecipientUserId, m.Kind, m.SubjectKey, m.OccurredOn, m.Subject, m.Status, m.Attempts,
            m.LastError, m.InterruptedSends, m.CreatedAt, m.NextAttemptAt, m.LastAttemptAt, m.SentAt));
    }

    /// <summary>
    /// Every failed message at once (after a long SMTP outage they all are), optionally only those of one kind and of
    /// business dates within [from, to].
    /// </summary>
    public static async Task<Outcome<OutboxRetryResult>> FailedAsync(Filter f, CrmDbContext db, TimeProvider clock, OutboxSignal signal, CancellationToken ct)
    {
        var errors = new Errors();
        if (f.Kind is not null && (f.Kind.Length is 0 or > 64))
        {
            errors.Add("kind", Text.T("长度应为 1–64 个字符"));
        }

        if (f.From is { } from && f.To is { } to && from > to)
        {
            errors.Add("to", Text.T("结束日期不能早于开始日期"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Outbox.Where(m => m.Status == OutboxStatus.Failed);
        if (f.Kind is not null)
        {
            query = query.Where(m => m.Kind == f.Kind);
        }

        if (f.From is { } start)
        {
            query = query.Where(m => m.OccurredOn >= start);
        }

        if (f.To is { } end)
        {
            query = query.Where(m => m.OccurredOn <= end);
        }

        var retried = await query.ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending).SetProperty(m => m.NextAttemptAt, now), ct);
        if (retried > 0)
        {
            signal.Signal();
        }

        return Outcome.Ok(new OutboxRetryResult(retried, Text.F("已重新排队 {0} 封发送失败的邮件", retried)));
    }
}
