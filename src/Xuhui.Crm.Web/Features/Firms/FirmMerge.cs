using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>A duplicate firm merged into a survivor; the old id keeps pointing here.</summary>
public sealed class FirmMerge
{
    public long Id { get; set; }
    public long FromFirmId { get; set; }
    public long IntoFirmId { get; set; }
    public string FromName { get; set; } = string.Empty;
    public string? FromCreditCode { get; set; }
    public long ById { get; set; }
    public DateTime At { get; set; }
}

internal sealed class FirmMergeConfiguration : IEntityTypeConfiguration<FirmMerge>
{
    public void Configure(EntityTypeBuilder<FirmMerge> b)
    {
        b.ToTable("FirmMerges");
        b.Property(x => x.FromName).HasMaxLength(200);
        b.Property(x => x.FromCreditCode).HasMaxLength(18);
        b.HasIndex(x => x.FromFirmId).IsUnique();
        b.HasIndex(x => x.IntoFirmId);
        b.HasOne<Firm>().WithMany().HasForeignKey(x => x.FromFirmId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Firm>().WithMany().HasForeignKey(x => x.IntoFirmId).OnDelete(DeleteBehavior.Restrict);
    }
}
