using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class JobTables
{
    extension(CrmDbContext db)
    {
        public DbSet<JobRun> JobRuns => db.Set<JobRun>();
    }
}
