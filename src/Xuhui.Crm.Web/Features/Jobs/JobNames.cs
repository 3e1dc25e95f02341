namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>
/// Stable job names: they key rows in the Quartz store and the admin API's routes, so they never change. Each feature
/// declares its own job under one of these (<c>AddCrmJob</c>); the scheduler reads the declarations, not this list.
/// </summary>
public static class JobNames
{
    public const string Group = "crm";
    public const string DailyDigest = "daily-digest";

    /// <summary>The monthly pipeline report by email.</summary>
    public const string MonthlyReport = "monthly-report";

    /// <summary>Frozen month-end indicator snapshots.</summary>
    public const string MonthEndSnapshot = "month-end-snapshot";

    /// <summary>The nightly verified backup of the SQLite database (Crm:Backup:Time).</summary>
    public const string NightlyBackup = "nightly-backup";

    /// <summary>Every job, in the order the jobs page lists them.</summary>
    public static readonly IReadOnlyList<string> All = [DailyDigest, MonthlyReport, MonthEndSnapshot, NightlyBackup];

    public const string ManualKey = "manual";
}
