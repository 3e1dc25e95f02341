using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Email;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Jobs;

namespace Xuhui.Crm.Web.Data;

public sealed partial class CrmDbContext
{
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();
    public DbSet<ReminderSubscription> ReminderSubscriptions => Set<ReminderSubscription>();
    public DbSet<ReminderState> ReminderStates => Set<ReminderState>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
}
