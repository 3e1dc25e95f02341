using Microsoft.EntityFrameworkCore.Design;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Lets `dotnet ef migrations add` build the model without starting the host: SQLite by default, PostgreSQL with
/// `-- --provider Postgres` (no server is needed to scaffold). See src/Xuhui.Crm.Web/Data/regen-migrations.sh.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext(string[] args)
    {
        var i = Array.IndexOf(args, "--provider");
        var provider = i >= 0 && i + 1 < args.Length ? Enum.Parse<DatabaseProvider>(args[i + 1], ignoreCase: true) : DatabaseProvider.Sqlite;
        return new(DatabaseSetup.Options(provider, provider == DatabaseProvider.Postgres ? "Host=localhost;Database=design_time" : "Data Source=design-time.db"));
    }
}
