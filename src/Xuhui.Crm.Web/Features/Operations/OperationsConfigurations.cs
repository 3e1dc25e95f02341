using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuhui.Crm.Web.Features.Operations;

internal sealed class BackupRecordConfiguration : IEntityTypeConfiguration<BackupRecord>
{
    public void Configure(EntityTypeBuilder<BackupRecord> b)
    {
        b.ToTable("Backups");
        b.Property(x => x.FileName).HasMaxLength(260);
        b.HasIndex(x => x.StartedAt);
    }
}

internal sealed class AppSettingConfiguration : IEntityTypeConfiguration<AppSetting>
{
    public void Configure(EntityTypeBuilder<AppSetting> b)
    {
        b.ToTable("AppSettings");
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(64);
    }
}

internal sealed class ContactAccessConfiguration : IEntityTypeConfiguration<ContactAccess>
{
    public void Configure(EntityTypeBuilder<ContactAccess> b)
    {
        b.ToTable("ContactAccesses");
        b.Property(x => x.Route).HasMaxLength(200);
        b.HasIndex(x => new { x.ContactId, x.At });
        b.HasIndex(x => new { x.UserId, x.At });
    }
}
