using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;

namespace Xuhui.Crm.Web.Features.Reminders;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(m => m.Recipient).HasMaxLength(254).IsRequired();
        b.Property(m => m.Kind).HasMaxLength(32).IsRequired();
        b.Property(m => m.SubjectKey).HasMaxLength(100).IsRequired();
        b.Property(m => m.Subject).HasMaxLength(500);
        b.Property(m => m.MessageId).HasMaxLength(200);
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.LastError).HasMaxLength(2000);
        b.HasIndex(m => new { m.Recipient, m.Kind, m.SubjectKey, m.OccurredOn }).IsUnique().HasDatabaseName("IX_OutboxMessages_OccurrenceKey");
        b.HasIndex(m => new { m.Status, m.NextAttemptAt });
        b.HasIndex(m => new { m.Kind, m.OccurredOn });
    }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> b)
    {
        b.ToTable("CalendarDays");
        b.HasKey(d => d.Date);
        b.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Name).HasMaxLength(100).IsRequired();
    }
}

internal sealed class ReminderSubscriptionConfiguration : IEntityTypeConfiguration<ReminderSubscription>
{
    public void Configure(EntityTypeBuilder<ReminderSubscription> b)
    {
        b.ToTable("ReminderSubscriptions");
        b.HasKey(s => s.UserId);
        b.HasOne<User>().WithOne().HasForeignKey<ReminderSubscription>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(s => s.Kinds).HasMaxLength(400).HasConversion(
            v => string.Join(',', v),
            v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
            new ValueComparer<List<string>>((x, y) => x!.SequenceEqual(y!), v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s)), v => v.ToList()));
        b.Property(s => s.LeadDays).HasMaxLength(100).HasConversion(
            v => string.Join(',', v.Select(d => d.ToString(CultureInfo.InvariantCulture))),
            v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToList(),
            new ValueComparer<List<int>>((x, y) => x!.SequenceEqual(y!), v => v.Aggregate(0, (h, d) => HashCode.Combine(h, d)), v => v.ToList()));
    }
}

internal sealed class ReminderStateConfiguration : IEntityTypeConfiguration<ReminderState>
{
    public void Configure(EntityTypeBuilder<ReminderState> b)
    {
        b.ToTable("ReminderStates");
        b.Property(s => s.Key).HasMaxLength(120).IsRequired();
        b.HasIndex(s => new { s.UserId, s.Key }).IsUnique();
        b.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("JobRuns");
        b.Property(r => r.JobName).HasMaxLength(64).IsRequired();
        b.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Message).HasMaxLength(2000);
        b.HasIndex(r => new { r.JobName, r.Id });
    }
}
