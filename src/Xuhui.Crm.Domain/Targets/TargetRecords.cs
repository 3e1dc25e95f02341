using Xuhui.Crm.Domain.Districts;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Domain.Targets;

/// <summary>
/// District-level rows are audited like firm rows but under firm id 0, so the audit trail has one shape;
/// <see cref="DistrictAudit.FirmId"/> names that convention.
/// </summary>
public static class DistrictAudit
{
    public const long FirmId = 0;
}

/// <summary>The district's enterprise legal-person count (企业法人数) for one year, as published, with its source.</summary>
public sealed class LegalPersonCount : IVersioned, IAudited, IDistrictOwned
{
    /// <summary>The district the figure is for; set from the writer's district when empty.</summary>
    public string DistrictCode { get; set; } = string.Empty;

    public int Year { get; set; }
    public int Version { get; set; }
    public int Count { get; set; }

    /// <summary>Where the figure comes from (e.g. 徐汇区统计年鉴 2025, 表 3-1).</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>When the source published it.</summary>
    public DateOnly? PublishedOn { get; set; }

    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    long IAudited.Id => Year;

    long IAudited.AuditFirmId => DistrictAudit.FirmId;
}

/// <summary>An entered value of one of the plan's indicators for a period ("2025", "2025-Q2" or "2025-06").</summary>
public sealed class IndicatorValue : IVersioned, IAudited, IDistrictOwned
{
    /// <summary>The district the figure is for; set from the writer's district when empty.</summary>
    public string DistrictCode { get; set; } = string.Empty;

    public long Id { get; set; }
    public int Version { get; set; }
    public string Code { get; set; } = string.Empty;
    public string Period { get; set; } = string.Empty;

    /// <summary>Last day of the period: "the latest value as of a date" orders by this.</summary>
    public DateOnly PeriodEnd { get; set; }

    public double Value { get; set; }
    public string Source { get; set; } = string.Empty;

    /// <summary>Date of the source (publication or statistics release).</summary>
    public DateOnly SourceDate { get; set; }

    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    long IAudited.AuditFirmId => DistrictAudit.FirmId;
}

/// <summary>An interim target for one indicator and year, set by an admin; years without one use the plan's 2025 target.</summary>
public sealed class IndicatorTarget : IVersioned, IAudited, IDistrictOwned
{
    /// <summary>The district the figure is for; set from the writer's district when empty.</summary>
    public string DistrictCode { get; set; } = string.Empty;

    public long Id { get; set; }
    public int Version { get; set; }
    public string Code { get; set; } = string.Empty;
    public int Year { get; set; }
    public double Target { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    long IAudited.AuditFirmId => DistrictAudit.FirmId;
}

/// <summary>
/// The frozen figures of one month (targets as of the month's last day and the monthly report), as JSON.
/// A re-run adds a revision; earlier revisions stay, and reports read the highest.
/// </summary>
public sealed class MonthlySnapshot : IDistrictOwned
{
    /// <summary>The district reported on, or <see cref="DistrictCodes.City"/> for the city-wide report.</summary>
    public string DistrictCode { get; set; } = string.Empty;

    public long Id { get; set; }

    /// <summary>yyyy-MM.</summary>
    public string Month { get; set; } = string.Empty;

    public int Revision { get; set; }
    public DateTime TakenAt { get; set; }

    /// <summary>Null when the month-end job took it.</summary>
    public long? TakenById { get; set; }

    /// <summary>"month-end-job" or "manual".</summary>
    public string Trigger { get; set; } = string.Empty;

    public string? Reason { get; set; }
    public string Payload { get; set; } = string.Empty;
}
