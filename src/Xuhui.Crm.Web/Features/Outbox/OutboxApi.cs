using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

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
        var outcome = await ListOutbox.HandleAsync(new(status, page, pageSize), db, dispatcher, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.Errors!.ToProblem();
    }

    public static async Task<Results<Ok<OutboxDto>, ProblemHttpResult>> Retry(
        long id, CrmDbContext db, TimeProvider clock, OutboxSignal signal, CancellationToken ct)
    {
        var outcome = await RetryOutbox.OneAsync(id, db, clock, signal, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblemResult();
    }

    public static async Task<Results<Ok<OutboxRetryResult>, ValidationProblem>> RetryAll(
        string? kind, DateOnly? from, DateOnly? to, CrmDbContext db, TimeProvider clock, OutboxSignal signal, CancellationToken ct)
    {
        var outcome = await RetryOutbox.FailedAsync(new(kind, from, to), db, clock, signal, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.Errors!.ToProblem();
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Eml(long id, CrmDbContext db, CancellationToken ct)
    {
        var outcome = await ListOutbox.EmlAsync(id, db, ct);
        return outcome.IsOk ? TypedResults.File(outcome.Value!, "message/rfc822", ListOutbox.EmlFileName(id)) : outcome.ToProblemResult();
    }
}
