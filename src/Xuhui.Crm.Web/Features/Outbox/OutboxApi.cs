using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox;

public sealed record OutboxDto(
    long Id,
    string Recipient,
    long? RecipientUserId,
    string Kind,
    string SubjectKey,
    DateOnly OccurredOn,
    string Subject,
    OutboxStatus Status,
    int Attempts,
    string? LastError,
    int InterruptedSends,
    DateTime CreatedAt,
    DateTime NextAttemptAt,
    DateTime? LastAttemptAt,
    DateTime? SentAt);

public sealed record OutboxRetryResult(int Retried, string Message);

public sealed record OutboxPage(List<OutboxDto> Items, int Total, int Page, int PageSize, Dictionary<string, int> Counts, string Transport);

public static class OutboxApi
{
    public static RouteGroupBuilder MapOutboxApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/outbox").WithTags("Outbox").RequireAuthorization(Policies.Operator);
        group.MapGet("/", List);
        group.MapPost("/retry", RetryAll);
        group.MapPost("/{id:long}/retry", Retry);
        group.MapGet("/{id:long}/eml", Eml);
        return api;
    }

    public static async Task<Results<Ok<OutboxPage>, ValidationProblem>> List(
        string? status, int? page, int? pageSize, CrmDbContext db, OutboxDispatcher dispatcher, CancellationToken ct)
    {
        var query = db.Outbox.AsNoTracking();
        if (status is not null)
        {
            if (!Json.TryParseEnum<OutboxStatus>(status, out var s))
            {
                return Problems.Field("status", Text.F("取值应为 {0}", Json.Allowed<OutboxStatus>()));
            }

            query = query.Where(m => m.Status == s);
        }

        var p = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, 500);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(m => m.Id).Skip((p - 1) * size).Take(size)
            .Select(m => new OutboxDto(
                m.Id, m.Recipient, m.RecipientUserId, m.Kind, m.SubjectKey, m.OccurredOn, m.Subject, m.Status, m.Attempts,
                m.LastError, m.InterruptedSends, m.CreatedAt, m.NextAttemptAt, m.LastAttemptAt, m.SentAt))
            .ToListAsync(ct);
        var counts = (await db.Outbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(g => Json.EnumText(g.Key), g => g.Count);
        return TypedResults.Ok(new OutboxPage(items, total, p, size, counts, dispatcher.Transport));
    }

    /// <summary>Puts a failed message back in the queue for the next round; its attempt count carries on.</summary>
    public static async Task<Results<Ok<OutboxDto>, ProblemHttpResult>> Retry(
        long id, CrmDbContext db, TimeProvider clock, OutboxSignal signal, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var updated = await db.Outbox.Where(m => m.Id == id && m.Status == OutboxStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending).SetProperty(m => m.NextAttemptAt, now), ct);
        var m = await db.Outbox.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null)
        {
            return Problems.NotFound(Text.F("邮件 {0} 不存在", id));
        }

        if (updated == 0)
        {
            return Problems.Conflict(Text.F("只有发送失败的邮件可以重试，当前状态为 {0}", Json.EnumText(m.Status)));
        }

        signal.Signal();
        return TypedResults.Ok(new OutboxDto(
            m.Id, m.Recipient, m.RecipientUserId, m.Kind, m.SubjectKey, m.OccurredOn, m.Subject, m.Status, m.Attempts,
            m.LastError, m.InterruptedSends, m.CreatedAt, m.NextAttemptAt, m.LastAttemptAt, m.SentAt));
    }

    /// <summary>
    /// Puts every failed message back in the queue at once (after a long SMTP outage they all are), optionally only those
    /// of one kind and of business dates within [from, to]; like the one-by-one retry, attempt counts carry on.
    /// </summary>
    public static async Task<Results<Ok<OutboxRetryResult>, ValidationProblem>> RetryAll(
        string? kind, DateOnly? from, DateOnly? to, CrmDbContext db, TimeProvider clock, OutboxSignal signal, CancellationToken ct)
    {
        var errors = new Errors();
        if (kind is not null && (kind.Length is 0 or > 64))
        {
            errors.Add("kind", Text.T("长度应为 1–64 个字符"));
        }

        if (from is { } f && to is { } t && f > t)
        {
            errors.Add("to", Text.T("结束日期不能早于开始日期"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Outbox.Where(m => m.Status == OutboxStatus.Failed);
        if (kind is not null)
        {
            query = query.Where(m => m.Kind == kind);
        }

        if (from is { } start)
        {
            query = query.Where(m => m.OccurredOn >= start);
        }

        if (to is { } end)
        {
            query = query.Where(m => m.OccurredOn <= end);
        }

        var retried = await query.ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending).SetProperty(m => m.NextAttemptAt, now), ct);
        if (retried > 0)
        {
            signal.Signal();
        }

        return TypedResults.Ok(new OutboxRetryResult(retried, Text.F("已重新排队 {0} 封发送失败的邮件", retried)));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Eml(long id, CrmDbContext db, CancellationToken ct)
    {
        var mime = await db.Outbox.AsNoTracking().Where(m => m.Id == id).Select(m => m.Mime).FirstOrDefaultAsync(ct);
        return mime is null
            ? Problems.NotFound(Text.F("邮件 {0} 不存在", id))
            : TypedResults.File(mime, "message/rfc822", $"{id:D8}.eml");
    }
}
