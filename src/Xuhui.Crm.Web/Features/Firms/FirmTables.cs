using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class FirmTables
{
    extension(CrmDbContext db)
    {
        public DbSet<FirmMerge> FirmMerges => db.Set<FirmMerge>();
    }
}
