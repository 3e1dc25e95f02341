using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>The merge route (mapped after the import routes, its OpenAPI place); the rules are in <see cref="MergeFirms"/>.</summary>
public static class FirmMergeApi
{
    public static RouteGroupBuilder MapFirmMerge(this RouteGroupBuilder api)
    {
        api.MapPost("/firms/{id:long}/merge", Merge).WithTags("Firms").RequireAuthorization(Policies.Manager);
        return api;
    }

    public static async Task<Results<Ok<MergeResult>, ValidationProblem, ProblemHttpResult>> Merge(
        long id, MergeRequest request, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct) =>
        (await MergeFirms.HandleAsync(new(id, request.IntoId), user, db, ct)).ToOk();
}
