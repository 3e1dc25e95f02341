using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Pages.Infrastructure;

/// <summary>The sign-in cookie carries the user's security stamp, checked on every request like a bearer token's.</summary>
public static class WebSignIn
{
    private const string StampClaim = "stamp";

    public static Task SignInAsync(HttpContext http, User user)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.UserName),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim("display_name", user.DisplayName),
                new Claim(StampClaim, user.SecurityStamp),
                .. Features.Auth.DistrictScope.Claims(user.DistrictCode),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Deactivation, a role change or a new password ends the session at the next request.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var db = context.HttpContext.RequestServices.GetRequiredService<CrmDbContext>();
        var id = principal?.UserId() ?? 0;
        var stamp = principal?.FindFirstValue(StampClaim);
        var found = id == 0 ? null : await db.Users.AsNoTracking().Where(u => u.Id == id && u.IsActive && u.SecurityStamp == stamp)
            .Select(u => new { u.DistrictCode }).FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (found is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        db.ActorId = id;
        db.District = Features.Auth.DistrictScope.For(found.DistrictCode, context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value);
    }

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue("display_name") ?? user.Identity?.Name ?? string.Empty;
}
