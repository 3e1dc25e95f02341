using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Data;

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
        // the stage was read and sorted per page (3,778 certified HNTE cases at district scale; issue 8).
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

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> b)
    {
        b.Property(v => v.Version).IsConcurrencyToken();
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Firm>().WithMany().HasForeignKey(v => v.FirmId);
        b.HasIndex(v => new { v.FirmId, v.On });
        // Covers the monthly report's visit counts (done visits of a month by firm) without touching the table.
        b.HasIndex(v => new { v.On, v.Status, v.FirmId });
        b.HasMany(v => v.Officers).WithOne().HasForeignKey(o => o.VisitId);
        b.HasMany(v => v.Contacts).WithOne().HasForeignKey(o => o.VisitId);
    }
}

internal sealed class VisitOfficerConfiguration : IEntityTypeConfiguration<VisitOfficer>
{
    public void Configure(EntityTypeBuilder<VisitOfficer> b)
    {
        b.HasKey(o => new { o.VisitId, o.UserId });
        b.HasIndex(o => new { o.UserId, o.VisitId });
        b.HasOne<User>().WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VisitContactConfiguration : IEntityTypeConfiguration<VisitContact>
{
    public void Configure(EntityTypeBuilder<VisitContact> b)
    {
        b.HasKey(o => new { o.VisitId, o.ContactId });
        b.HasOne<Contact>().WithMany().HasForeignKey(o => o.ContactId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> b)
    {
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Title).HasMaxLength(500).IsRequired();
        b.Property(t => t.Kind).HasMaxLength(32);
        b.HasOne<Firm>().WithMany().HasForeignKey(t => t.FirmId);
        b.HasOne<Case>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Visit>().WithMany().HasForeignKey(t => t.VisitId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(t => new { t.AssigneeId, t.Status, t.DueOn });
        // Both cover the monthly report's follow-up counts (open and overdue; completed in or after the month) by assignee.
        b.HasIndex(t => new { t.Status, t.DueOn, t.AssigneeId });
        b.HasIndex(t => new { t.Status, t.CompletedOn, t.DueOn, t.AssigneeId });
        b.HasIndex(t => t.FirmId);
    }
}

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

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> b)
    {
        b.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId);
    }
}

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
