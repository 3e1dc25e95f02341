using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data.Pipeline;

namespace Xuhui.Crm.Web.Data;

/// <remarks>
/// One constructor taking the options only, as EF's context pool requires: the host leases pooled instances and sets
/// the clock, home district and write gate per request scope (<see cref="Lease"/>); commands and tests set them as
/// properties. Every save goes through <see cref="SavePipeline"/> (an interceptor in the options).
/// </remarks>
public sealed partial class CrmDbContext : DbContext, IDataProtectionKeyContext
{
    public CrmDbContext(DbContextOptions<CrmDbContext> options)
        : base(options)
    {
        // Subscribed here so the pool's configuration snapshot keeps them for every lease.
        SavingChanges += (_, e) => AcceptAllChangesOnSuccess = e.AcceptAllChangesOnSuccess;
        SaveChangesFailed += SavePipeline.OnFailed;
    }

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The host's SQLite write gate; null on PostgreSQL and for contexts built outside the host.</summary>
    public WriteGate? Gate { get; set; }

    /// <summary>The save in progress, from the pipeline's start of it to its end.</summary>
    internal SaveRun? CurrentSave { get; set; }

    /// <summary>The argument of the save in progress (the pipeline's second write passes it on).</summary>
    internal bool AcceptAllChangesOnSuccess { get; private set; } = true;

    /// <summary>
    /// Readies a pooled instance for a new request scope: the per-request state a previous lease may have set (the actor,
    /// the district scope, pending extra audit rows) is cleared and the clock, home district and write gate come from the
    /// scope's services. EF resets its own state (change tracker, connection, transaction) when the instance goes back to the pool.
    /// </summary>
    internal CrmDbContext Lease(TimeProvider clock, string homeDistrict, bool multiDistrict, WriteGate? gate)
    {
        Clock = clock;
        MultiDistrict = multiDistrict;
        Gate = gate;
        HomeDistrict = homeDistrict;
        District = null;
        ActorId = null;
        CurrentSave = null;
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

        // Contexts built outside the host still save through the pipeline (the host's options already hold its own).
        if (!SavePipeline.In(optionsBuilder))
        {
            optionsBuilder.AddInterceptors(SavePipeline.Standalone);
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
