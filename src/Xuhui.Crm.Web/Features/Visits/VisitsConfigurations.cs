using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;

namespace Xuhui.Crm.Web.Features.Visits;

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> b)
    {
        b.Property(v => v.Version).IsConcurrencyToken();
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Firm>().WithMany().HasForeignKey(v => v.FirmId);
        b.HasIndex(v => new { v.FirmId, v.On });
        // Covers the monthly report's visit counts (done visits of a month by firm) without touching the table.
        b.HasIndex(v => new { v.On, v.Status, v.FirmId });
        b.HasMany(v => v.Officers).WithOne().HasForeignKey(o => o.VisitId);
        b.HasMany(v => v.Contacts).WithOne().HasForeignKey(o => o.VisitId);
    }
}

internal sealed class VisitOfficerConfiguration : IEntityTypeConfiguration<VisitOfficer>
{
    public void Configure(EntityTypeBuilder<VisitOfficer> b)
    {
        b.HasKey(o => new { o.VisitId, o.UserId });
        b.HasIndex(o => new { o.UserId, o.VisitId });
        b.HasOne<User>().WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VisitContactConfiguration : IEntityTypeConfiguration<VisitContact>
{
    public void Configure(EntityTypeBuilder<VisitContact> b)
    {
        b.HasKey(o => new { o.VisitId, o.ContactId });
        b.HasOne<Contact>().WithMany().HasForeignKey(o => o.ContactId).OnDelete(DeleteBehavior.Restrict);
    }
}
