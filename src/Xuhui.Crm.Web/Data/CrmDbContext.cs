using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Data;

public sealed partial class CrmDbContext(
    DbContextOptions<CrmDbContext> options, TimeProvider? clock = null, IOptions<CrmOptions>? crm = null) : DbContext(options), IDataProtectionKeyContext
{
    public TimeProvider Clock { get; set; } = clock ?? TimeProvider.System;

    public DbSet<Firm> Firms => Set<Firm>();
    public DbSet<FirmOfficer> FirmOfficers => Set<FirmOfficer>();
    public DbSet<FirmFinancial> FirmFinancials => Set<FirmFinancial>();
    public DbSet<FirmStatusChange> FirmStatusChanges => Set<FirmStatusChange>();
    public DbSet<FirmSearchGram> FirmSearchGrams => Set<FirmSearchGram>();
    public DbSet<FirmSearchBacklog> FirmSearchBacklog => Set<FirmSearchBacklog>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseTransition> CaseTransitions => Set<CaseTransition>();
    public DbSet<AnnualReportFiling> AnnualReportFilings => Set<AnnualReportFiling>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<VisitOfficer> VisitOfficers => Set<VisitOfficer>();
    public DbSet<VisitContact> VisitContacts => Set<VisitContact>();
    public DbSet<FollowUpTask> Tasks => Set<FollowUpTask>();
    public DbSet<User> Users => Set<User>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>The data-protection key ring (cookies, antiforgery): in the database, so every instance reads the same keys.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>However the options were built (host, commands, tests), migrations come from the provider's own set.</summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
        ConfigureDistrictFilters(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        // Money is stored as integer fen: exact, and comparable in SQL on every provider.
        configurationBuilder.Properties<decimal>().HaveConversion<MoneyConverter>();
        configurationBuilder.Properties<decimal?>().HaveConversion<MoneyConverter>();
    }
}
