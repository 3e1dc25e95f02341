using System.Security.Claims;
using Xuhui.Crm.Domain.Users;

namespace Xuhui.Crm.Web.Shared;

public static class ClaimsPrincipalExtensions
{
    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue("display_name") ?? user.Identity?.Name ?? string.Empty;

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? Roles.Viewer;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>Admins and supervisors see and edit every firm.</summary>
    public static bool IsManager(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Supervisor);

    public static bool CanWrite(this ClaimsPrincipal user) => !user.IsInRole(Roles.Viewer) && !user.IsInRole(Roles.CityViewer);

    /// <summary>The user's district; null for a city-wide user (city admin, city viewer).</summary>
    public static string? District(this ClaimsPrincipal user) => user.FindFirstValue(Features.Auth.DistrictScope.ClaimType);

    /// <summary>Reads and writes across every district (a user with no district).</summary>
    public static bool IsCityWide(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && user.District() is null;
}

public static class Policies
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Writer = "writer";

    /// <summary>System-wide operations (jobs, outbox, calendar): admins; city admins only in a multi-district deployment.</summary>
    public const string Operator = "operator";
}
