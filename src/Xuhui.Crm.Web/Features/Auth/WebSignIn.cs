using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Auth;

/// <summary>
/// A web sign-in is a server-side session: the cookie carries a random session id whose hash is a row of AccessTokens
/// (with the user's security stamp and an absolute end), looked up on every request through the same cached query as a
/// bearer token. Signing out deletes the row, so a copied cookie is refused afterwards; deactivation, a role change or a
/// new password change the stamp and end every session at the next request.
/// </summary>
public static class WebSignIn
{
    private const string StampClaim = "stamp";
    private const string SessionClaim = "sid";

    /// <summary>
    /// The stored form of a session id: "w." and the base64url SHA-256. A bearer token's hash is 64 hex digits, so a
    /// session id can never be presented as a bearer token, nor a token as a session.
    /// </summary>
    public static string SessionHash(string sessionId) =>
        "w." + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static async Task SignInAsync(HttpContext http, User user)
    {
        var services = http.RequestServices;
        var db = services.GetRequiredService<CrmDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var maxHours = Math.Max(1, services.GetRequiredService<IOptions<CrmOptions>>().Value.Auth.WebSessionMaxHours);
        var sessionId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        db.AccessTokens.Add(new AccessToken
        {
            TokenHash = SessionHash(sessionId),
            UserId = user.Id,
            SecurityStamp = user.SecurityStamp,
            ExpiresAt = now.AddHours(maxHours),
            CreatedAt = now,
        });
        await db.AccessTokens.Where(t => t.UserId == user.Id && t.ExpiresAt <= now).ExecuteDeleteAsync(http.RequestAborted);
        await db.SaveChangesAsync(http.RequestAborted);

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.UserName),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim("display_name", user.DisplayName),
                new Claim(StampClaim, user.SecurityStamp),
                new Claim(SessionClaim, sessionId),
                .. DistrictScope.Claims(user.DistrictCode),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Ends the session server-side (the row goes, every instance's next lookup fails), then drops the cookie.</summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        var sessionId = http.User.FindFirstValue(SessionClaim);
        if (sessionId is not null)
        {
            var services = http.RequestServices;
            var hash = SessionHash(sessionId);
            await services.GetRequiredService<CrmDbContext>().AccessTokens.Where(t => t.TokenHash == hash).ExecuteDeleteAsync(http.RequestAborted);
            services.GetRequiredService<TokenCache>().Invalidate();
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>The session must still exist, be within its absolute end, and belong to an active user with the same stamp.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<CrmDbContext>();
        var cache = services.GetRequiredService<TokenCache>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var id = principal?.UserId() ?? 0;
        var sessionId = principal?.FindFirstValue(SessionClaim);
        TokenUser? found = null;
        if (id != 0 && sessionId is not null)
        {
            var hash = SessionHash(sessionId);
            if (cache.TryGet(hash, now, out var cached))
            {
                found = cached;
            }
            else
            {
                var generation = cache.Generation;
                var row = await BearerTokenHandler.FindToken(db, hash, now, context.HttpContext.RequestAborted);
                if (row is not null)
                {
                    found = row.User;
                    cache.Set(hash, found, row.ExpiresAt, generation, now);
                }
            }
        }

        if (found is null || found.Id != id)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        db.ActorId = id;
        db.District = DistrictScope.For(found.DistrictCode, services.GetRequiredService<IOptions<CrmOptions>>().Value);
    }
}
