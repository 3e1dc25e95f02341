using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Data;

/// <remarks>
/// One constructor taking the options only, as EF's context pool requires: the host leases pooled instances and sets
/// the clock and home district per request scope (<see cref="Lease"/>); commands and tests set them as properties.
/// </remarks>
public sealed partial class CrmDbContext(DbContextOptions<CrmDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Called after a save wrote users or access tokens (the host's bearer-token cache is emptied).</summary>
    public Action? SignInChanged { get; set; }

    /// <summary>Called after firm search grams were (or may have been) written (the host's search-count cache is emptied).</summary>
    public Action? SearchIndexChanged { get; set; }

    /// <summary>
    /// Readies a pooled instance for a new request scope: the per-request state a previous lease may have set (the actor,
    /// the district scope, pending extra audit rows) is cleared and the clock and home district come from the scope's
    /// services. EF resets its own state (change tracker, connection, transaction) when the instance goes back to the pool.
    /// </summary>
    internal CrmDbContext Lease(TimeProvider clock, string homeDistrict, bool multiDistrict, Action? signInChanged, Action? searchIndexChanged)
    {
        Clock = clock;
        MultiDistrict = multiDistrict;
        SignInChanged = signInChanged;
        SearchIndexChanged = searchIndexChanged;
        HomeDistrict = homeDistrict;
        District = null;
        ActorId = null;
        _extraAudit.Clear();
        return this;
    }

    public DbSet<Firm> Firms => Set<Firm>();
    public DbSet<FirmOfficer> FirmOfficers => Set<FirmOfficer>();
    public DbSet<FirmFinancial> FirmFinancials => Set<FirmFinancial>();
    public DbSet<FirmStatusChange> FirmStatusChanges => Set<FirmStatusChange>();
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

    /// <summary>However the options were built (host, commands, tests), migrations come from the provider's own set
    /// (<see cref="DatabaseSetup.Configure"/> sets it up front: a pooled context must not change its options here).</summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        var replaced = optionsBuilder.Options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.ReplacedServices;
        if (replaced is null || !replaced.ContainsKey((typeof(IMigrationsAssembly), null)))
        {
            optionsBuilder.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
        }

        // Contexts built straight on UseSqlite (the generator, test templates) write the same tables as the service's.
        if ((replaced is null || !replaced.ContainsKey((typeof(IMigrationsSqlGenerator), null)))
            && optionsBuilder.Options.Extensions.Any(e => e.GetType().Name == "SqliteOptionsExtension"))
        {
            DatabaseSetup.UseSqliteTableOptions(optionsBuilder);
        }
    }

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
