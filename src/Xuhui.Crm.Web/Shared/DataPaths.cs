using Microsoft.Extensions.Options;

namespace Xuhui.Crm.Web.Shared;

/// <summary>Resolved locations: the data directory (relative to the content root) and seed/ (beside the binaries).</summary>
public sealed class DataPaths(IOptions<CrmOptions> options, IHostEnvironment env)
{
    public string DataDirectory { get; } = Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Value.DataDirectory));

    public string SeedDirectory { get; } = Path.GetFullPath(options.Value.SeedDirectory ?? Path.Combine(AppContext.BaseDirectory, "seed"));

    public string DatabaseFile => Path.Combine(DataDirectory, "crm.db");

    public DatabaseProvider Provider => options.Value.Database.Provider;

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public string ConnectionString => options.Value.Database.ConnectionString is { Length: > 0 } cs ? cs
        : IsSqlite ? $"Data Source={DatabaseFile}"
        : throw new InvalidOperationException("Crm:Database:Provider is Postgres but Crm:Database:ConnectionString is empty");
}
