using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Domain.Hnte;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>The firm routes: each maps its request to a use case or a query and the outcome to its typed results.</summary>
public static class FirmsApi
{
    public static RouteGroupBuilder MapFirmsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/firms").WithTags("Firms");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapDelete("/{id:long}", Archive).RequireAuthorization(Policies.Writer);
        group.MapGet("/{id:long}/audit", Audit);
        group.MapGet("/{id:long}/hnte-check", HnteCheckFor);
        group.MapGet("/{id:long}/status-changes", StatusChanges);
        group.MapPost("/{id:long}/status-changes", AddStatus).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/transfer", Transfer).RequireAuthorization(Policies.Manager);
        return api;
    }

    public static async Task<Results<Ok<FirmPage>, ValidationProblem>> List([AsParameters] FirmQuery query, FirmSearch search, CancellationToken ct)
    {
        var errors = query.Validate();
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await search.SearchAsync(query, ct));
    }

    /// <summary>A firm merged into another answers with a permanent redirect to the survivor (if the caller's district sees it).</summary>
    public static async Task<Results<Ok<FirmDto>, RedirectHttpResult, ProblemHttpResult>> Get(long id, [AsParameters] FirmServices s, CancellationToken ct)
    {
        var read = await FirmQueries.ReadAsync(s.Db, id, s.Options.Value.Cadence, ct);
        if (read.MergedInto is { } survivor)
        {
            return TypedResults.Redirect($"/api/firms/{survivor}", permanent: true, preserveMethod: true);
        }

        return read.Firm is { } firm ? TypedResults.Ok(firm) : Problems.NotFound(Shared.Localisation.Messages.FirmNotFound(id));
    }

    public static async Task<Results<Created<FirmDto>, ValidationProblem, ProblemHttpResult>> Create(
        FirmDto request, ClaimsPrincipal user, [AsParameters] FirmServices s, CancellationToken ct) =>
        (await CreateFirm.HandleAsync(new(request), user, s, ct)).ToCreated();

    public static async Task<Results<Ok<FirmDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, FirmDto request, ClaimsPrincipal user, [AsParameters] FirmServices s, CancellationToken ct) =>
        (await UpdateFirm.HandleAsync(new(id, request), user, s, ct)).ToOk();

    public static async Task<Results<NoContent, ProblemHttpResult>> Archive(long id, ClaimsPrincipal user, [AsParameters] FirmServices s, CancellationToken ct)
    {
        var outcome = await ArchiveFirm.HandleAsync(new(id), user, s, ct);
        return outcome.ToNoContentOrProblem();
    }

    public static async Task<Results<Ok<List<AuditEntryDto>>, ProblemHttpResult>> Audit(
        long id, ClaimsPrincipal user, [AsParameters] FirmServices s, int? limit, CancellationToken ct) =>
        (await FirmQueries.AuditAsync(s.Db, user, id, limit, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<HnteCheckResult>, ProblemHttpResult>> HnteCheckFor(long id, DateOnly? asOf, [AsParameters] FirmServices s, CancellationToken ct) =>
        (await FirmQueries.HnteCheckAsync(s.Db, id, asOf, s.Clock, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<List<StatusChangeDto>>, ProblemHttpResult>> StatusChanges(long id, [AsParameters] FirmServices s, CancellationToken ct) =>
        (await FirmQueries.StatusChangesAsync(s.Db, id, ct)).ToOkOrProblem();

    public static async Task<Results<Created<StatusChangeDto>, ValidationProblem, ProblemHttpResult>> AddStatus(
        long id, StatusChangeRequest request, ClaimsPrincipal user, [AsParameters] FirmServices s, CancellationToken ct) =>
        (await AddStatusChange.HandleAsync(new(id, request), user, s, ct)).ToCreated();

    public static async Task<Results<Ok<TransferResult>, ValidationProblem, ProblemHttpResult>> Transfer(
        long id, TransferRequest request, ClaimsPrincipal user, [AsParameters] FirmServices s, CancellationToken ct) =>
        (await TransferFirm.HandleAsync(new(id, request), user, s, ct)).ToOk();
}
