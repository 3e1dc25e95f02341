using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Data;

/// <summary>Registers the context on the provider chosen by Crm:Database:Provider.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddCrmDatabase(this IServiceCollection services)
    {
        services.AddSingleton<SqlitePragmas>();
        services.AddDbContext<CrmDbContext>((sp, o) =>
        {
            var paths = sp.GetRequiredService<DataPaths>();
            Configure(o, paths.Provider, paths.ConnectionString);
            if (paths.IsSqlite)
            {
                o.AddInterceptors(sp.GetRequiredService<SqlitePragmas>());
            }
        },
        // The options are built once (they depend on singletons only): built per request, EF re-hashed every option
        // extension to find its internal service provider on each one (issue 8 profile).
        contextLifetime: ServiceLifetime.Scoped,
        optionsLifetime: ServiceLifetime.Singleton);
        return services;
    }

    /// <summary>The provider and its connection string (the context picks the migration set that belongs to it); also used by tests.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder o, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.Postgres => o.UseNpgsql(connectionString),
            _ => o.UseSqlite(connectionString),
        };

    public static DbContextOptions<CrmDbContext> Options(DatabaseProvider provider, string connectionString) =>
        ((DbContextOptionsBuilder<CrmDbContext>)Configure(new DbContextOptionsBuilder<CrmDbContext>(), provider, connectionString)).Options;
}
