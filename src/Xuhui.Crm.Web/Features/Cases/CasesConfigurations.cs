using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Users;

namespace Xuhui.Crm.Web.Features.Cases;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b)
    {
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Property(c => c.Program).HasMaxLength(32).IsRequired();
        b.Property(c => c.Stage).HasMaxLength(32).IsRequired();
        b.HasOne(c => c.Firm).WithMany().HasForeignKey(c => c.FirmId);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
        // At most one open case per firm and programme; TRUE is understood by SQLite (3.23+) and PostgreSQL.
        b.HasIndex(c => new { c.FirmId, c.Program }).IsUnique().HasFilter("\"IsOpen\" = TRUE").HasDatabaseName("IX_Cases_OneOpenPerProgram");
        b.HasIndex(c => new { c.FirmId, c.Program, c.Stage });
        b.HasIndex(c => new { c.Program, c.Stage, c.FirmId });
        // The pipeline list (GET /api/cases?program=&stage=) pages in stage-since order: without it every case of
        // the stage was read and sorted per page, thousands of rows for a large programme.
        b.HasIndex(c => new { c.Program, c.Stage, c.StageSince });
        b.HasIndex(c => new { c.Stage, c.FirmId });
        b.HasIndex(c => new { c.OwnerId, c.IsOpen });
        b.HasIndex(c => c.CertificateExpiresOn);
        b.HasMany(c => c.Transitions).WithOne().HasForeignKey(t => t.CaseId);
        b.HasMany(c => c.AnnualReports).WithOne().HasForeignKey(t => t.CaseId);
    }
}

internal sealed class CaseTransitionConfiguration : IEntityTypeConfiguration<CaseTransition>
{
    public void Configure(EntityTypeBuilder<CaseTransition> b)
    {
        b.HasIndex(t => new { t.CaseId, t.On });
        b.HasIndex(t => t.On);
    }
}

internal sealed class AnnualReportFilingConfiguration : IEntityTypeConfiguration<AnnualReportFiling>
{
    public void Configure(EntityTypeBuilder<AnnualReportFiling> b) => b.HasIndex(x => new { x.CaseId, x.Year }).IsUnique();
}
