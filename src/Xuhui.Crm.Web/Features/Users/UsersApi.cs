using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>The /api/users routes: each maps its use case's outcome to the endpoint's typed results.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/officers", Officers).WithTags("Users");
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id:long}", Update);
        group.MapPost("/{id:long}/deactivate", Deactivate);
        group.MapPost("/{id:long}/reactivate", Reactivate);
        group.MapGet("/{id:long}/audit", UserAudit.Trail);
        return api;
    }

    public static async Task<Ok<List<OfficerDto>>> Officers(CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await UserDirectory.OfficersAsync(db, ct));

    public static async Task<Ok<List<UserDto>>> List(CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await UserQueries.ListAsync(db, ct));

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(long id, CrmDbContext db, CancellationToken ct) =>
        await UserQueries.FindAsync(db, id, ct) is { } u ? TypedResults.Ok(u) : Problems.NotFound(Messages.UserNotFound(id));

    public static async Task<Results<Created<UserDto>, ValidationProblem>> Create(UserRequest request, [AsParameters] UserServices s, CancellationToken ct)
    {
        // Creating answers only 201 or 400: its union keeps that narrower shape.
        var o = await CreateUser.HandleAsync(new(request), s, ct);
        return o.IsOk ? TypedResults.Created(o.Location, o.Value) : o.Errors!.ToProblem();
    }

    public static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(long id, UserRequest request, [AsParameters] UserServices s, CancellationToken ct) =>
        (await UpdateUser.HandleAsync(new(id, request), s, ct)).ToOk();

    public static async Task<Results<Ok<HandOverSummary>, ValidationProblem, ProblemHttpResult>> Deactivate(
        long id, DeactivateRequest request, ClaimsPrincipal principal, [AsParameters] UserServices s, CancellationToken ct) =>
        (await DeactivateUser.HandleAsync(new(id, request.HandOverTo), principal, s, ct)).ToOk();

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Reactivate(long id, [AsParameters] UserServices s, CancellationToken ct)
    {
        // Reactivating has no field errors (404 or 409 only).
        var o = await ReactivateUser.HandleAsync(new(id), s, ct);
        return o.IsOk ? TypedResults.Ok(o.Value) : (ProblemHttpResult)o.ToProblem();
    }
}
