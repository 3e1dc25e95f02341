using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Features.Imports;

namespace Xuhui.Crm.Web.Data;

public sealed partial class CrmDbContext
{
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<ImportIssue> ImportIssues => Set<ImportIssue>();
    public DbSet<ImportMapping> ImportMappings => Set<ImportMapping>();
    public DbSet<FirmMerge> FirmMerges => Set<FirmMerge>();
}
