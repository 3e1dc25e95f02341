using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Districts;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Visits;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// District visibility, in one place: global query filters keyed by <see cref="District"/>. A firm's district is its own
/// column (indexed); cases, visits, tasks, contacts and requests follow their firm through an EXISTS on the firm's primary
/// key, so a transfer moves them all by changing one row and nothing can be left behind. With no scope (null: city-wide
/// users, jobs before they pick a district, every single-district deployment) EF drops the predicate from the SQL
/// altogether: it compiles a separate plan for a null parameter, so the single-district hot paths are unchanged.
/// </summary>
public sealed partial class CrmDbContext
{
    /// <summary>The district this context reads and writes; null reads every district.</summary>
    public string? District { get; set; }

    /// <summary>Whether the deployment holds several districts (Crm:MultiDistrict): people named on a firm's work must be of its district.</summary>
    public bool MultiDistrict { get; set; }

    /// <summary>The deployment's own district: new district rows written with no scope go there.</summary>
    public string HomeDistrict { get; set; } = Firm.DefaultDistrictCode;

    private void ConfigureDistrictFilters(ModelBuilder b)
    {
        b.Entity<Firm>().HasQueryFilter(f => District == null || f.DistrictCode == District);
        b.Entity<Case>().HasQueryFilter(x => District == null || Set<Firm>().Any(f => f.Id == x.FirmId && f.DistrictCode == District));
        b.Entity<Visit>().HasQueryFilter(x => District == null || Set<Firm>().Any(f => f.Id == x.FirmId && f.DistrictCode == District));
        b.Entity<FollowUpTask>().HasQueryFilter(x => District == null || Set<Firm>().Any(f => f.Id == x.FirmId && f.DistrictCode == District));
        b.Entity<Contact>().HasQueryFilter(x => District == null || Set<Firm>().Any(f => f.Id == x.FirmId && f.DistrictCode == District));
        b.Entity<FirmRequest>().HasQueryFilter(x => District == null || Set<Firm>().Any(f => f.Id == x.FirmId && f.DistrictCode == District));
        b.Entity<LegalPersonCount>().HasQueryFilter(x => District == null || x.DistrictCode == District);
        b.Entity<IndicatorValue>().HasQueryFilter(x => District == null || x.DistrictCode == District);
        b.Entity<IndicatorTarget>().HasQueryFilter(x => District == null || x.DistrictCode == District);
        b.Entity<MonthlySnapshot>().HasQueryFilter(x => District == null || x.DistrictCode == District);
    }
}
