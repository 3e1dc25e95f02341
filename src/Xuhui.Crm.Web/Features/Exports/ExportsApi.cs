using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Exports;

/// <summary>Downloads of the firm, case and visit lists with the same filters as the list endpoints.</summary>
public static class ExportsApi
{
    public static RouteGroupBuilder MapExports(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/exports").WithTags("Exports");
        group.MapGet("/firms", Firms);
        group.MapGet("/cases", Cases);
        group.MapGet("/visits", Visits);
        return api;
    }

    public static async Task<Results<EmptyHttpResult, ValidationProblem>> Firms(
        [AsParameters] FirmQuery query, string? format, HttpContext http, ClaimsPrincipal user, [AsParameters] ExportServices s, CancellationToken ct) =>
        (await ExportFirms.HandleAsync(new(query, format), http, user, s, ct)).ToEmptyOrInvalid();

    public static async Task<Results<EmptyHttpResult, ValidationProblem>> Cases(
        string? program, string? stage, long? ownerId, bool? open, long? firmId, string? format, HttpContext http, [AsParameters] ExportServices s, CancellationToken ct) =>
        (await ExportCases.HandleAsync(new(program, stage, ownerId, open, firmId, format), http, s, ct)).ToEmptyOrInvalid();

    public static async Task<Results<EmptyHttpResult, ValidationProblem>> Visits(
        long? firmId, long? officerId, DateOnly? from, DateOnly? to, string? status, string? format, HttpContext http, [AsParameters] ExportServices s, CancellationToken ct) =>
        (await ExportVisits.HandleAsync(new(firmId, officerId, from, to, status, format), http, s, ct)).ToEmptyOrInvalid();
}
