using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Search;

internal sealed class FirmSearchGramConfiguration : IEntityTypeConfiguration<FirmSearchGram>
{
    public void Configure(EntityTypeBuilder<FirmSearchGram> b)
    {
        b.ToTable("FirmSearchGrams");
        // Name order inside a gram: the default sort of a one- or two-character search is read off the key in order.
        b.HasKey(g => new { g.Gram, g.Name, g.FirmId });
        // SQLite: the rows live in the key's B-tree (no rowid table beside it): two B-trees per row written instead of three.
        b.IsWithoutRowIdOnSqlite();
        b.Property(g => g.Gram).HasMaxLength(8);
        b.Property(g => g.Name).HasMaxLength(200);
        b.HasIndex(g => g.FirmId);
        b.HasOne<Firm>().WithMany().HasForeignKey(g => g.FirmId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FirmSearchBacklogConfiguration : IEntityTypeConfiguration<FirmSearchBacklog>
{
    public void Configure(EntityTypeBuilder<FirmSearchBacklog> b)
    {
        b.ToTable("FirmSearchBacklog");
        b.HasKey(x => x.FirmId);
        b.Property(x => x.FirmId).ValueGeneratedNever();
        b.HasOne<Firm>().WithMany().HasForeignKey(x => x.FirmId).OnDelete(DeleteBehavior.Cascade);
    }
}
