using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>
/// What the targets use cases and queries need, bound as one <c>[AsParameters]</c> record by the API and built from the
/// page's injected services by the pages, so a new dependency changes this record and not every handler signature.
/// </summary>
public sealed record TargetServices(CrmDbContext Db, ReferenceData Reference, TargetsService Targets, TimeProvider Clock, IOptions<CrmOptions> Options)
{
    /// <summary>Where a write of district-level figures goes (null: a city-wide user must name a district).</summary>
    public string? WriteDistrict() => Auth.DistrictScope.WriteTarget(Db, Options.Value);

    public IndicatorRef? Indicator(string code) => Reference.File.Indicators.FirstOrDefault(i => i.Code == code);
}
