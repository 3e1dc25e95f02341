using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Features.Auth;

public sealed record LoginRequest(string? UserName, string? Password);

public sealed record LoginResponse(string AccessToken, DateTime ExpiresAt, string TokenType, UserSummary User);

public sealed record UserSummary(long Id, string UserName, string DisplayName, string Role);

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
        IPasswordHasher<User> hasher,
        TimeProvider clock,
        IOptions<CrmOptions> options,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return new Errors().Add(string.IsNullOrWhiteSpace(request.UserName) ? "userName" : "password", "必填 (required)").ToProblem();
        }

        var auth = options.Value.Auth;
        var now = clock.GetUtcNow().UtcDateTime;
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == request.UserName.Trim(), ct);
        var invalid = TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "用户名或密码错误 (invalid credentials)");
        if (user is null || !user.IsActive)
        {
            // Same cost and answer as a wrong password, so user names cannot be probed.
            hasher.VerifyHashedPassword(new User(), DummyHash.Value, request.Password);
            return invalid;
        }

        if (user.LockedUntil > now)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status423Locked,
                title: "账户已锁定 (account locked)",
                detail: $"多次登录失败，账户锁定至 {user.LockedUntil:O} (UTC)");
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= auth.MaxFailedLogins)
            {
                user.LockedUntil = now.AddMinutes(auth.LockoutMinutes);
                user.FailedLogins = 0;
            }

            await db.SaveChangesAsync(ct);
            return invalid;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password);
        }

        user.FailedLogins = 0;
        user.LockedUntil = null;
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = now.AddHours(auth.TokenLifetimeHours);
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
        return TypedResults.Ok(new LoginResponse(token, expires, "Bearer", new UserSummary(user.Id, user.UserName, user.DisplayName, user.Role)));
    }

    public static async Task<NoContent> Logout(HttpContext http, CrmDbContext db, CancellationToken ct)
    {
        string? header = http.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var hash = BearerTokenHandler.Hash(header["Bearer ".Length..].Trim());
            await db.AccessTokens.Where(t => t.TokenHash == hash).ExecuteDeleteAsync(ct);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserSummary>, NotFound>> Me(System.Security.Claims.ClaimsPrincipal principal, CrmDbContext db, CancellationToken ct)
    {
        var id = principal.UserId();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new UserSummary(u.Id, u.UserName, u.DisplayName, u.Role)).FirstOrDefaultAsync(ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user);
    }

    private static class DummyHash
    {
        public static readonly string Value = new PasswordHasher<User>().HashPassword(new User(), Guid.NewGuid().ToString());
    }
}
