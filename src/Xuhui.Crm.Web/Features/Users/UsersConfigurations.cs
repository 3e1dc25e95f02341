using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Users;

namespace Xuhui.Crm.Web.Features.Users;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.Version).IsConcurrencyToken();
        b.Property(u => u.UserName).HasMaxLength(64).IsRequired();
        b.Property(u => u.Role).HasMaxLength(16).IsRequired();
        b.HasIndex(u => u.UserName).IsUnique();
        b.Property(u => u.DistrictCode).HasMaxLength(6);
        b.HasIndex(u => u.DistrictCode);
        b.HasOne<User>().WithMany().HasForeignKey(u => u.SupervisorId).OnDelete(DeleteBehavior.Restrict);
    }
}
