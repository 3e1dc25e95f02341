using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class OutboxTables
{
    extension(CrmDbContext db)
    {
        public DbSet<OutboxMessage> Outbox => db.Set<OutboxMessage>();
    }
}
