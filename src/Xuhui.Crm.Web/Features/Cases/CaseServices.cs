using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>What the case use cases need, bound as one <c>[AsParameters]</c> record by the API and built by the pages.</summary>
public sealed record CaseServices(CrmDbContext Db, ReferenceData Reference, TimeProvider Clock)
{
    public DateOnly Today() => ShanghaiTime.Today(Clock);

    public DateTime UtcNow() => Clock.GetUtcNow().UtcDateTime;
}
