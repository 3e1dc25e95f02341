using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data.Pipeline;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Data;

/// <summary>Registers the context on the provider chosen by Crm:Database:Provider.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddCrmDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SqlitePragmas>();
        // SQLite has one writer per file: saves and the background writers of this process take turns (WriteGate).
        // PostgreSQL locks rows, so it has no gate.
        if (configuration.GetValue<DatabaseProvider>($"{CrmOptions.Section}:Database:Provider") == DatabaseProvider.Sqlite)
        {
            services.AddSingleton<WriteGate>();
        }

        // Pooled: a context's internal services (EF resolves a dozen per instance) are built once per pooled instance, not
        // per request, a large part of a small request's CPU otherwise.
        // The options are built once too (they depend on singletons only).
        services.AddPooledDbContextFactory<CrmDbContext>((sp, o) =>
        {
            var paths = sp.GetRequiredService<DataPaths>();
            Configure(o, paths.Provider, paths.ConnectionString);
            // The one write pipeline, with the steps the features registered (caches to drop).
            o.AddInterceptors(SavePipeline.ForHost(sp.GetServices<ISaveStep>()));
            if (paths.IsSqlite)
            {
                o.AddInterceptors(sp.GetRequiredService<SqlitePragmas>());
            }
        });
        // One context per request scope, leased from the pool and handed back when the scope ends; the lease clears what
        // the previous request set on it (actor, district scope) and takes the scope's clock and the host's write gate.
        services.AddScoped<CrmDbContext>(sp => sp.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContext().Lease(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value.District,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value.MultiDistrict,
            sp.GetService<WriteGate>()));
        return services;
    }

    /// <summary>The provider and its connection string (the context picks the migration set that belongs to it); also used by tests.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder o, DatabaseProvider provider, string connectionString) =>
        (provider switch
        {
            DatabaseProvider.Postgres => o.UseNpgsql(connectionString),
            _ => UseSqliteTableOptions(o.UseSqlite(connectionString)),
        }).ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, ProviderMigrationsAssembly>();

    /// <summary>SQLite table options EF has no API for (<see cref="SqliteWithoutRowId"/>); the context adds them itself when built without this class.</summary>
    public static DbContextOptionsBuilder UseSqliteTableOptions(DbContextOptionsBuilder o) =>
        o.ReplaceService<Microsoft.EntityFrameworkCore.Metadata.IRelationalAnnotationProvider, SqliteTableAnnotationProvider>()
            .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsSqlGenerator, SqliteTableOptionsSqlGenerator>();

    public static DbContextOptions<CrmDbContext> Options(DatabaseProvider provider, string connectionString) =>
        ((DbContextOptionsBuilder<CrmDbContext>)Configure(new DbContextOptionsBuilder<CrmDbContext>(), provider, connectionString)).Options;
}
