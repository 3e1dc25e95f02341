using System.Security.Claims;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Auth;

/// <summary>Turns the signed-in user's district into the context's query-filter scope (see CrmDbContext.Districts).</summary>
public static class DistrictScope
{
    public const string ClaimType = "district";

    /// <summary>
    /// The user's district in a multi-district deployment; null (no filter) for city-wide users and whenever the
    /// deployment holds one district, where a filter could only cost time.
    /// </summary>
    public static string? For(string? userDistrict, CrmOptions options) => options.MultiDistrict ? userDistrict : null;

    public static IEnumerable<Claim> Claims(string? district) => district is null ? [] : [new Claim(ClaimType, district)];

    /// <summary>
    /// A "?district=" parameter: a city-wide user narrows the context to one district (the city code too, with
    /// <paramref name="allowCity"/>); a district user may name only their own. Another district, or an unknown code, is
    /// not found, like another district's firm. Null: nothing to do.
    /// </summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Narrow(
        Data.CrmDbContext db, Reference.ReferenceData reference, string? district, bool allowCity = false)
    {
        if (district is null || district == db.District)
        {
            return null;
        }

        var known = reference.IsDistrict(district) || (allowCity && district == Domain.Districts.DistrictCodes.City);
        if (db.District is not null || !known)
        {
            return Problems.NotFound(Text.F("区 {0} 不存在或不可见", district));
        }

        db.District = district;
        return null;
    }

    /// <summary>Where a write of district-level figures goes: the scope's district, else (one district) the deployment's; null when a city user must name one.</summary>
    public static string? WriteTarget(Data.CrmDbContext db, CrmOptions options) =>
        db.District ?? (options.MultiDistrict ? null : db.HomeDistrict);
}
