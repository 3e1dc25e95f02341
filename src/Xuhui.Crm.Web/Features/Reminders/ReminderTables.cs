using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class ReminderTables
{
    extension(CrmDbContext db)
    {
        public DbSet<ReminderSubscription> ReminderSubscriptions => db.Set<ReminderSubscription>();

        public DbSet<ReminderState> ReminderStates => db.Set<ReminderState>();
    }
}
