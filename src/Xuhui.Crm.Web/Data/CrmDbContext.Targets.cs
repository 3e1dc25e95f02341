using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Targets;

namespace Xuhui.Crm.Web.Data;

public sealed partial class CrmDbContext
{
    public DbSet<LegalPersonCount> LegalPersonCounts => Set<LegalPersonCount>();
    public DbSet<IndicatorValue> IndicatorValues => Set<IndicatorValue>();
    public DbSet<IndicatorTarget> IndicatorTargets => Set<IndicatorTarget>();
    public DbSet<MonthlySnapshot> MonthlySnapshots => Set<MonthlySnapshot>();
}
