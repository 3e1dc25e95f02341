using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;

namespace Xuhui.Crm.Web.Features.Requests;

internal sealed class FirmRequestConfiguration : IEntityTypeConfiguration<FirmRequest>
{
    public void Configure(EntityTypeBuilder<FirmRequest> b)
    {
        b.ToTable("Requests");
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Property(r => r.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        b.Property(r => r.Satisfaction).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Category).HasMaxLength(32).IsRequired();
        b.Property(r => r.Department).HasMaxLength(32);
        b.Property(r => r.Description).HasMaxLength(2000).IsRequired();
        b.HasOne<Firm>().WithMany().HasForeignKey(r => r.FirmId);
        b.HasOne<Visit>().WithMany().HasForeignKey(r => r.VisitId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<User>().WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Progress).WithOne().HasForeignKey(p => p.RequestId);
        b.HasIndex(r => new { r.OwnerId, r.Status, r.Deadline });
        b.HasIndex(r => new { r.Status, r.Deadline });
        b.HasIndex(r => new { r.FirmId, r.RaisedOn });
        b.HasIndex(r => new { r.Department, r.Status });
        b.HasIndex(r => new { r.Category, r.Status });
        b.HasIndex(r => r.RaisedOn);
        b.HasIndex(r => r.ClosedOn);
        b.Ignore(r => r.IsClosed);
    }
}

internal sealed class RequestProgressConfiguration : IEntityTypeConfiguration<RequestProgress>
{
    public void Configure(EntityTypeBuilder<RequestProgress> b)
    {
        b.Property(p => p.StatusAfter).HasConversion<string>().HasMaxLength(32);
        b.Property(p => p.Note).HasMaxLength(2000).IsRequired();
        b.HasIndex(p => new { p.RequestId, p.On });
    }
}
