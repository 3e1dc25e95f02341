using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Users;

namespace Xuhui.Crm.Web.Features.Reminders;

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
