using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Auditing;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// The one table Data itself writes (field audit rows, in the save's transaction). Every other table is configured by
/// the feature that owns it (<c>Features/&lt;Feature&gt;/&lt;Feature&gt;Configurations.cs</c>).
/// </summary>
internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.EntityType).HasMaxLength(32);
        b.Property(a => a.Action).HasMaxLength(16);
        b.Property(a => a.Changes).HasConversion(new AuditChangesConverter(), new AuditChangesComparer());
        b.HasIndex(a => new { a.FirmId, a.At });
        b.HasIndex(a => new { a.EntityType, a.EntityId });
    }
}
