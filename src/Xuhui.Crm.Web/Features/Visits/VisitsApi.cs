using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Visits;

/// <summary>The visit routes: each maps its query or use case to the typed results it always answered.</summary>
public static class VisitsApi
{
    public static RouteGroupBuilder MapVisitsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/visits").WithTags("Visits");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        return api;
    }

    private static async Task<Results<Ok<VisitPage>, ValidationProblem>> List(
        long? firmId, long? officerId, DateOnly? from, DateOnly? to, string? status, int? page, int? pageSize,
        [AsParameters] VisitServices s, CancellationToken ct)
    {
        var filter = new VisitFilter(firmId, officerId, from, to, status, page, pageSize);
        var errors = filter.Validate();
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await VisitQueries.ListAsync(filter, s.Db, ct));
    }

    private static async Task<Results<Ok<VisitDto>, ProblemHttpResult>> Get(long id, [AsParameters] VisitServices s, CancellationToken ct) =>
        await VisitQueries.GetAsync(id, s.Db, ct) is { } visit ? TypedResults.Ok(visit) : Problems.NotFound(Messages.VisitNotFound(id));

    private static async Task<Results<Created<VisitDto>, ValidationProblem, ProblemHttpResult>> Create(
        VisitRequest request, ClaimsPrincipal user, [AsParameters] VisitServices s, CancellationToken ct) =>
        (await LogVisit.HandleAsync(new(request), user, s, ct)).ToCreated();

    private static async Task<Results<Ok<VisitDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, VisitRequest request, ClaimsPrincipal user, [AsParameters] VisitServices s, CancellationToken ct) =>
        (await UpdateVisit.HandleAsync(new(id, request), user, s, ct)).ToOk();
}
