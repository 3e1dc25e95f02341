using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Auth;

/// <summary>
/// Opaque bearer tokens: only their hash is stored, and every request checks the user is still active with the
/// same security stamp, so deactivation or a role change ends every token at once.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CrmDbContext db,
    TimeProvider clock,
    IOptions<Shared.CrmOptions> crm,
    TokenCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>
    /// Compiled once: this query runs on every API request, and EF's per-call work for a LINQ query (parameter
    /// extraction, the query-cache lookup by expression tree) was a visible part of the per-request CPU.
    /// </summary>
    internal static readonly Func<CrmDbContext, string, DateTime, CancellationToken, Task<Found?>> FindToken =
        EF.CompileAsyncQuery((CrmDbContext db, string hash, DateTime now, CancellationToken ct) => db.AccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.ExpiresAt > now)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.SecurityStamp, t.ExpiresAt, User = u })
            .Where(x => x.User.IsActive && x.User.SecurityStamp == x.SecurityStamp)
            .Select(x => new Found(new TokenUser(x.User.Id, x.User.UserName, x.User.Role, x.User.DisplayName, x.User.DistrictCode), x.ExpiresAt))
            .FirstOrDefault());

    internal sealed record Found(TokenUser User, DateTime ExpiresAt);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = Hash(header["Bearer ".Length..].Trim());
        var now = clock.GetUtcNow().UtcDateTime;
        if (!cache.TryGet(hash, now, out var found))
        {
            var generation = cache.Generation;
            var row = await FindToken(db, hash, now, Context.RequestAborted);
            if (row is null)
            {
                return AuthenticateResult.Fail("invalid or expired token");
            }

            found = row.User;
            cache.Set(hash, found, row.ExpiresAt, generation, now);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, found.UserName),
                new Claim(ClaimTypes.Role, found.Role),
                new Claim("display_name", found.DisplayName),
                .. DistrictScope.Claims(found.DistrictCode),
            ],
            SchemeName);
        db.ActorId = found.Id;
        db.District = DistrictScope.For(found.DistrictCode, crm.Value);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
