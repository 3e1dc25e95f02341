using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Features.Operations;

namespace Xuhui.Crm.Web.Data;

public sealed partial class CrmDbContext
{
    public DbSet<BackupRecord> Backups => Set<BackupRecord>();
    public DbSet<AppSetting> AppSettings => Set<AppSetting>();
    public DbSet<ContactAccess> ContactAccesses => Set<ContactAccess>();
}
