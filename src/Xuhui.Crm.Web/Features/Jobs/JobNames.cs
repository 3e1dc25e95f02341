namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>Stable job names: they key rows in the Quartz store and the admin API's routes.</summary>
public static class JobNames
{
    public const string Group = "crm";
    public const string DailyDigest = "daily-digest";

    /// <summary>Slot for the targets issue: the monthly pipeline report by email.</summary>
    public const string MonthlyReport = "monthly-report";

    /// <summary>Slot for the targets issue: frozen month-end indicator snapshots.</summary>
    public const string MonthEndSnapshot = "month-end-snapshot";

    /// <summary>The nightly verified backup of the SQLite database (Crm:Backup:Time).</summary>
    public const string NightlyBackup = "nightly-backup";

    public static readonly IReadOnlyList<string> All = [DailyDigest, MonthlyReport, MonthEndSnapshot, NightlyBackup];

    public const string ManualKey = "manual";
}
