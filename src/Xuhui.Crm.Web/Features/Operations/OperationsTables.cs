using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class OperationsTables
{
    extension(CrmDbContext db)
    {
        public DbSet<BackupRecord> Backups => db.Set<BackupRecord>();

        public DbSet<AppSetting> AppSettings => db.Set<AppSetting>();

        public DbSet<ContactAccess> ContactAccesses => db.Set<ContactAccess>();
    }
}
