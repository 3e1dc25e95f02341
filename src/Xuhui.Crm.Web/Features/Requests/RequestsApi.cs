using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>The firm-request ledger (诉求台账): each request has an owner and a deadline and is closed item by item.</summary>
public static class RequestsApi
{
    public static RouteGroupBuilder MapRequestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/requests").WithTags("Requests");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/progress", Progress).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/close", Close).RequireAuthorization(Policies.Writer);
        return api;
    }

    private static async Task<Results<Ok<RequestPage>, ValidationProblem>> List(
        long? firmId, long? ownerId, string? category, string? department, string? status, bool? overdue, int? page, int? pageSize,
        [AsParameters] RequestServices s, CancellationToken ct)
    {
        var filter = new RequestFilter(firmId, ownerId, category, department, status, overdue, page, pageSize);
        var errors = filter.Validate();
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await RequestQueries.ListAsync(filter, s.Db, s.Clock, ct));
    }

    private static async Task<Results<Ok<RequestDto>, ProblemHttpResult>> Get(long id, [AsParameters] RequestServices s, CancellationToken ct) =>
        await RequestQueries.GetAsync(id, s.Db, s.Clock, ct) is { } r ? TypedResults.Ok(r) : Problems.NotFound(RequestRules.RequestNotFound(id));

    private static async Task<Results<Created<RequestDto>, ValidationProblem, ProblemHttpResult>> Create(
        RequestCreate request, ClaimsPrincipal user, [AsParameters] RequestServices s, CancellationToken ct) =>
        (await RaiseRequest.HandleAsync(new(request), user, s, ct)).ToCreated();

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, RequestUpdate request, ClaimsPrincipal user, [AsParameters] RequestServices s, CancellationToken ct) =>
        (await UpdateRequest.HandleAsync(new(id, request), user, s, ct)).ToOk();

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Progress(
        long id, ProgressCreate request, ClaimsPrincipal user, [AsParameters] RequestServices s, CancellationToken ct) =>
        (await AddProgress.HandleAsync(new(id, request), user, s, ct)).ToOk();

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Close(
        long id, RequestClose request, ClaimsPrincipal user, [AsParameters] RequestServices s, CancellationToken ct) =>
        (await CloseRequest.HandleAsync(new(id, request), user, s, ct)).ToOk();
}
