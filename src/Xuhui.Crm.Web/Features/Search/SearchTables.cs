using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class SearchTables
{
    extension(CrmDbContext db)
    {
        public DbSet<FirmSearchGram> FirmSearchGrams => db.Set<FirmSearchGram>();

        public DbSet<FirmSearchBacklog> FirmSearchBacklog => db.Set<FirmSearchBacklog>();
    }
}
