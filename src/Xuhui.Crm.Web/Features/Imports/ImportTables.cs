using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class ImportTables
{
    extension(CrmDbContext db)
    {
        public DbSet<ImportRun> ImportRuns => db.Set<ImportRun>();

        public DbSet<ImportIssue> ImportIssues => db.Set<ImportIssue>();

        public DbSet<ImportMapping> ImportMappings => db.Set<ImportMapping>();
    }
}
