using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Targets;

namespace Xuhui.Crm.Web.Features.Targets;

internal sealed class LegalPersonCountConfiguration : IEntityTypeConfiguration<LegalPersonCount>
{
    public void Configure(EntityTypeBuilder<LegalPersonCount> b)
    {
        // One count per district and year (the city's is the sum of its districts').
        b.HasKey(x => new { x.DistrictCode, x.Year });
        b.Property(x => x.DistrictCode).HasMaxLength(6);
        b.Property(x => x.Year).ValueGeneratedNever();
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Source).HasMaxLength(500).IsRequired();
        b.Property(x => x.Note).HasMaxLength(1000);
    }
}

internal sealed class IndicatorValueConfiguration : IEntityTypeConfiguration<IndicatorValue>
{
    public void Configure(EntityTypeBuilder<IndicatorValue> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Code).HasMaxLength(64).IsRequired();
        b.Property(x => x.Period).HasMaxLength(7).IsRequired();
        b.Property(x => x.Source).HasMaxLength(500).IsRequired();
        b.Property(x => x.Note).HasMaxLength(1000);
        b.Property(x => x.DistrictCode).HasMaxLength(6).IsRequired();
        b.HasIndex(x => new { x.DistrictCode, x.Code, x.Period }).IsUnique();
        b.HasIndex(x => new { x.Code, x.PeriodEnd });
    }
}

internal sealed class IndicatorTargetConfiguration : IEntityTypeConfiguration<IndicatorTarget>
{
    public void Configure(EntityTypeBuilder<IndicatorTarget> b)
    {
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.Code).HasMaxLength(64).IsRequired();
        b.Property(x => x.Note).HasMaxLength(1000);
        b.Property(x => x.DistrictCode).HasMaxLength(6).IsRequired();
        b.HasIndex(x => new { x.DistrictCode, x.Code, x.Year }).IsUnique();
    }
}

internal sealed class MonthlySnapshotConfiguration : IEntityTypeConfiguration<MonthlySnapshot>
{
    public void Configure(EntityTypeBuilder<MonthlySnapshot> b)
    {
        b.Property(x => x.Month).HasMaxLength(7).IsRequired();
        b.Property(x => x.Trigger).HasMaxLength(32).IsRequired();
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.Property(x => x.DistrictCode).HasMaxLength(6).IsRequired();
        b.HasIndex(x => new { x.DistrictCode, x.Month, x.Revision }).IsUnique();
    }
}
