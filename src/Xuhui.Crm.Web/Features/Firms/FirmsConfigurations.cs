using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;

namespace Xuhui.Crm.Web.Features.Firms;

internal sealed class FirmConfiguration : IEntityTypeConfiguration<Firm>
{
    public void Configure(EntityTypeBuilder<Firm> b)
    {
        b.Property(f => f.Version).IsConcurrencyToken();
        b.Property(f => f.Name).HasMaxLength(200).IsRequired();
        b.Property(f => f.CreditCode).HasMaxLength(18);
        b.Property(f => f.DistrictCode).HasMaxLength(6);
        b.Property(f => f.Ownership).HasConversion<string>().HasMaxLength(32);
        b.Property(f => f.Tier).HasConversion<string>().HasMaxLength(16);
        b.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(f => f.CreditCode).IsUnique();
        b.HasIndex(f => f.Name);
        b.HasIndex(f => f.LeadOfficerId);
        b.HasIndex(f => f.Zone);
        b.HasIndex(f => f.Industry);
        b.HasIndex(f => f.Tier);
        b.HasIndex(f => f.Status);
        b.HasIndex(f => f.DistrictCode);
        b.HasMany(f => f.CoOfficers).WithOne().HasForeignKey(o => o.FirmId);
        b.HasMany(f => f.Financials).WithOne().HasForeignKey(x => x.FirmId);
        b.HasMany(f => f.StatusChanges).WithOne().HasForeignKey(x => x.FirmId);
        b.HasOne<User>().WithMany().HasForeignKey(f => f.LeadOfficerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FirmOfficerConfiguration : IEntityTypeConfiguration<FirmOfficer>
{
    public void Configure(EntityTypeBuilder<FirmOfficer> b)
    {
        b.HasKey(o => new { o.FirmId, o.UserId });
        b.HasIndex(o => new { o.UserId, o.FirmId });
        b.HasOne<User>().WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FirmFinancialConfiguration : IEntityTypeConfiguration<FirmFinancial>
{
    public void Configure(EntityTypeBuilder<FirmFinancial> b) => b.HasIndex(x => new { x.FirmId, x.Year }).IsUnique();
}

internal sealed class FirmStatusChangeConfiguration : IEntityTypeConfiguration<FirmStatusChange>
{
    public void Configure(EntityTypeBuilder<FirmStatusChange> b)
    {
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.DistrictCode).HasMaxLength(6);
        b.HasIndex(x => new { x.FirmId, x.EffectiveOn });
    }
}
