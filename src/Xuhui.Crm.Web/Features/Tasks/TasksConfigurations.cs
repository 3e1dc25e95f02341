using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;

namespace Xuhui.Crm.Web.Features.Tasks;

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> b)
    {
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Title).HasMaxLength(500).IsRequired();
        b.Property(t => t.Kind).HasMaxLength(32);
        b.HasOne<Firm>().WithMany().HasForeignKey(t => t.FirmId);
        b.HasOne<Case>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Visit>().WithMany().HasForeignKey(t => t.VisitId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(t => new { t.AssigneeId, t.Status, t.DueOn });
        // Both cover the monthly report's follow-up counts (open and overdue; completed in or after the month) by assignee.
        b.HasIndex(t => new { t.Status, t.DueOn, t.AssigneeId });
        b.HasIndex(t => new { t.Status, t.CompletedOn, t.DueOn, t.AssigneeId });
        b.HasIndex(t => t.FirmId);
    }
}
