using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Hnte;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reference;

public sealed record EnumValue(string Code, string Name);

public sealed record ReferenceResponse(
    IReadOnlyList<ProgramDefinition> Programs,
    IReadOnlyList<NamedCode> Districts,
    IReadOnlyList<NamedCode> Zones,
    IReadOnlyList<IndustryRef> Industries,
    IReadOnlyList<IndicatorRef> Indicators,
    IReadOnlyList<string> TechFields,
    IReadOnlyList<RequestCategoryRef> RequestCategories,
    IReadOnlyList<DepartmentRef> Departments,
    IReadOnlyDictionary<string, string[]> Enums);

public static class ReferenceApi
{
    public static RouteGroupBuilder MapReferenceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/reference", Get).WithTags("Reference");
        return api;
    }

    /// <summary>
    /// Zones are the caller's district's: a district user's in a multi-district deployment, the deployment's with one
    /// district; city-wide users get every district's, each zone naming its district.
    /// </summary>
    public static Ok<ReferenceResponse> Get(ReferenceData reference, CrmDbContext db, IOptions<CrmOptions> options) => TypedResults.Ok(new ReferenceResponse(
        reference.Programs.Programs,
        reference.File.Districts,
        [.. reference.ZonesOf(ReferenceData.ZoneScope(db, options.Value))],
        reference.File.Industries,
        reference.File.Indicators,
        HnteCheck.TechFields,
        reference.File.RequestCategories ?? [],
        reference.File.Departments ?? [],
        new Dictionary<string, string[]>
        {
            ["ownership"] = Values<Ownership>(),
            ["tier"] = Values<FirmTier>(),
            ["firmStatus"] = Values<FirmStatus>(),
            ["visitKind"] = Values<VisitKind>(),
            ["visitStatus"] = Values<VisitStatus>(),
            ["taskStatus"] = Values<FollowUpStatus>(),
            ["role"] = [.. Domain.Users.Roles.All],
            ["requestChannel"] = Values<Domain.Requests.RequestChannel>(),
            ["requestStatus"] = Values<Domain.Requests.RequestStatus>(),
            ["satisfaction"] = Values<Domain.Requests.Satisfaction>(),
        }));

    /// <summary>Whose zones a user picks from: their district (several districts), the deployment's (one), or null for every district.</summary>

    private static string[] Values<T>()
        where T : struct, Enum => Enum.GetValues<T>().Select(Json.EnumText).ToArray();
}
