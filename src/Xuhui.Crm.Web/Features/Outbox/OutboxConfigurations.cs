using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuhui.Crm.Web.Features.Outbox;

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
