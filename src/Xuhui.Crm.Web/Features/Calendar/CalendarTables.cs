using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Calendar;

/// <summary>This feature's tables on the one context (Data itself knows no feature).</summary>
public static class CalendarTables
{
    extension(CrmDbContext db)
    {
        public DbSet<CalendarDay> CalendarDays => db.Set<CalendarDay>();
    }
}
