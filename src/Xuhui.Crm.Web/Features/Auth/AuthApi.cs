using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Auth;

public sealed record LoginRequest(string? UserName, string? Password);

public sealed record LoginResponse(string AccessToken, DateTime ExpiresAt, string TokenType, UserSummary User);

/// <param name="District">The user's district; null for a city-wide user.</param>
public sealed record UserSummary(long Id, string UserName, string DisplayName, string Role, string? District = null);

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(Operations.OperationsSetup.LoginRateLimit);
        group.MapPost("/logout", Logout).RequireAuthorization();
        group.MapGet("/me", Me).RequireAuthorization();
        return api;
    }

    public static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request,
        CrmDbContext db,
        PasswordCheck passwords,
        TimeProvider clock,
        IOptions<CrmOptions> options,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return new Errors().Add(string.IsNullOrWhiteSpace(request.UserName) ? "userName" : "password", Problems.Required).ToProblem();
        }

        var verdict = await passwords.VerifyAsync(request.UserName, request.Password, ct);
        // A locked account answers exactly as a wrong password (the lockout still holds): otherwise a 423 would tell
        // which user names exist and which are under attack.
        if (verdict.Outcome != PasswordOutcome.Valid || verdict.User is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: Text.T("用户名或密码错误"));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = now.AddHours(options.Value.Auth.TokenLifetimeHours);
        db.AccessTokens.Add(new AccessToken
        {
            TokenHash = BearerTokenHandler.Hash(token),
            UserId = user.Id,
            SecurityStamp = user.SecurityStamp,
            ExpiresAt = expires,
            CreatedAt = now,
        });
        await db.AccessTokens.Where(t => t.UserId == user.Id && t.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new LoginResponse(token, expires, "Bearer", new UserSummary(user.Id, user.UserName, user.DisplayName, user.Role, user.DistrictCode)));
    }

    public static async Task<NoContent> Logout(HttpContext http, CrmDbContext db, TokenCache cache, CancellationToken ct)
    {
        string? header = http.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var hash = BearerTokenHandler.Hash(header["Bearer ".Length..].Trim());
            await db.AccessTokens.Where(t => t.TokenHash == hash).ExecuteDeleteAsync(ct);
            cache.Invalidate();
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserSummary>, NotFound>> Me(System.Security.Claims.ClaimsPrincipal principal, CrmDbContext db, CancellationToken ct)
    {
        var id = principal.UserId();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new UserSummary(u.Id, u.UserName, u.DisplayName, u.Role, u.DistrictCode)).FirstOrDefaultAsync(ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user);
    }
}
