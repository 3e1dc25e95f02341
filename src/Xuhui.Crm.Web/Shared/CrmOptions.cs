namespace Xuhui.Crm.Web.Shared;

/// <summary>Settings under the "Crm" section.</summary>
public sealed class CrmOptions
{
    public const string Section = "Crm";

    /// <summary>Where the database, generated secrets, outbox files and backups live; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();
    public SeedOptions Seed { get; set; } = new();
    public BootstrapOptions Bootstrap { get; set; } = new();
    public CadenceOptions Cadence { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();
    public SearchOptions Search { get; set; } = new();
    public KeyRingOptions DataProtection { get; set; } = new();

    /// <summary>
    /// The deployment's own district (GB/T 2260 code): existing rows and new ones written by city-wide users default to it.
    /// </summary>
    public string District { get; set; } = Domain.Firms.Firm.DefaultDistrictCode;

    /// <summary>
    /// Several districts in one system (the city deployment): officers, supervisors and district admins then see only
    /// their own district. Off (one district), nobody is filtered and the queries carry no district predicate at all.
    /// </summary>
    public bool MultiDistrict { get; set; }

    /// <summary>Directory holding seed/ (reference and demo data); defaults to the app's base directory.</summary>
    public string? SeedDirectory { get; set; }
}

/// <summary>Which database server holds the data: the embedded SQLite file (one instance) or PostgreSQL (several).</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Full connection string; when empty, crm.db in the data directory (SQLite only: PostgreSQL needs one).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply migrations on start (the embedded mode); turn off where a DBA applies them.</summary>
    public bool AutoMigrate { get; set; } = true;
}

public sealed class SeedOptions
{
    /// <summary>Load the demo data set into an empty database (on in Development, see appsettings.Development.json).</summary>
    public bool Demo { get; set; }

    /// <summary>Lets a production host start on a database that once received demo data (a training system).</summary>
    public bool AllowDemoDataInProduction { get; set; }
}

public sealed class BootstrapOptions
{
    /// <summary>Password for the first "admin" user (Crm__Bootstrap__AdminPassword); random and written to a file when absent.</summary>
    public string? AdminPassword { get; set; }
}

public sealed class CadenceOptions
{
    public int KeyDays { get; set; } = 30;
    public int RegularDays { get; set; } = 90;

    /// <summary>Done visits of these kinds reset a firm's visit cadence.</summary>
    public List<string> ResettingKinds { get; set; } = ["on-site", "meeting"];
}

public sealed class AuthOptions
{
    public int TokenLifetimeHours { get; set; } = 12;

    /// <summary>
    /// The longest a web sign-in lasts from the moment of signing in (hours), however active the officer is: the cookie's
    /// sliding expiry (<see cref="TokenLifetimeHours"/> of inactivity) renews it only up to this limit.
    /// </summary>
    public int WebSessionMaxHours { get; set; } = 24;
    public int MaxFailedLogins { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// How long an instance keeps a bearer token's lookup (seconds; 0 = look up on every request). A change made through
    /// the same instance takes effect at once; another instance of a city deployment sees it within this time.
    /// </summary>
    public int TokenCacheSeconds { get; set; } = 5;
}

public sealed class SearchOptions
{
    /// <summary>
    /// How long an instance keeps the exact count of a one- or two-character search (seconds; 0 = count every time). Grams
    /// written through the same instance drop the counts at once; another instance's writes are seen within this time.
    /// </summary>
    public int CountCacheSeconds { get; set; } = 5;

    /// <summary>
    /// How often a failed drain of the search backlog is retried, and, on PostgreSQL, how often an instance looks for a
    /// backlog another instance's import left (seconds, at least 1). An instance's own imports start their drain at once;
    /// on SQLite (one process per file) nothing is polled.
    /// </summary>
    public int BacklogPollSeconds { get; set; } = 5;
}
