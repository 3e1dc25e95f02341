using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Features.Contacts;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Property(c => c.Name).HasMaxLength(100).IsRequired();
        b.HasIndex(c => c.FirmId);
        b.HasOne<Firm>().WithMany().HasForeignKey(c => c.FirmId);
    }
}
