using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Tests.Data;

/// <summary>The two migration sets live side by side; each provider sees its own. No server is needed for these.</summary>
public sealed class PostgresMigrationTests
{
    [Fact]
    public void The_model_has_no_changes_missing_from_the_PostgreSQL_migrations()
    {
        using var db = new CrmDbContext(DatabaseSetup.Options(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused"));
        Assert.False(db.Database.HasPendingModelChanges(), "run src/Xuhui.Crm.Web/Data/regen-migrations.sh: the model differs from the PostgreSQL snapshot");
    }

    [Fact]
    public void Each_provider_sees_only_its_own_migration_set()
    {
        using var sqlite = new CrmDbContext(DatabaseSetup.Options(DatabaseProvider.Sqlite, "Data Source=unused.db"));
        using var postgres = new CrmDbContext(DatabaseSetup.Options(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused"));
        var sqliteSet = sqlite.GetService<IMigrationsAssembly>();
        var postgresSet = postgres.GetService<IMigrationsAssembly>();

        Assert.NotEmpty(sqliteSet.Migrations);
        Assert.NotEmpty(postgresSet.Migrations);
        Assert.All(sqliteSet.Migrations.Values, t => Assert.Equal(ProviderMigrationsAssembly.SqliteNamespace, t.Namespace));
        Assert.All(postgresSet.Migrations.Values, t => Assert.Equal(ProviderMigrationsAssembly.PostgresNamespace, t.Namespace));
        Assert.Equal(ProviderMigrationsAssembly.SqliteNamespace, sqliteSet.ModelSnapshot!.GetType().Namespace);
        Assert.Equal(ProviderMigrationsAssembly.PostgresNamespace, postgresSet.ModelSnapshot!.GetType().Namespace);
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", postgres.Database.ProviderName);
    }
}
