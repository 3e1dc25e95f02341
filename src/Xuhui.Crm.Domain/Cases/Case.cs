using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Domain.Cases;

/// <summary>A firm in one cultivation programme, with its stage, owner, history and certificate.</summary>
public sealed partial class Case : IVersioned, IAudited, Districts.IFirmOwned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public long FirmId { get; set; }
    public Firm? Firm { get; set; }
    public string Program { get; set; } = string.Empty;
    public string Stage { get; set; } = string.Empty;

    /// <summary>True while the stage is an open (pipeline) stage; at most one open case per firm and programme.</summary>
    public bool IsOpen { get; set; }

    public DateOnly StageSince { get; set; }
    public DateOnly OpenedOn { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public long OwnerId { get; set; }

    // Certificate (HNTE certificate, little-giant approval, R&D-centre recognition).
    public string? CertificateNumber { get; set; }
    public DateOnly? CertificateIssuedOn { get; set; }
    public DateOnly? CertificateExpiresOn { get; set; }

    // Little giant.
    public string? LittleGiantTier { get; set; }
    public int? Cohort { get; set; }
    public DateOnly? ProjectStartOn { get; set; }
    public DateOnly? ProjectEndOn { get; set; }
    public int? EvaluationScore { get; set; }
    public string? EvaluationGrade { get; set; }

    // Foreign R&D centre.
    public string? RdCenterType { get; set; }
    public DateOnly? RecognizedOn { get; set; }

    // Pre-IPO.
    public string? TargetBoard { get; set; }
    public string? Sponsor { get; set; }
    public DateOnly? FiledOn { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<CaseTransition> Transitions { get; set; } = [];
    public List<AnnualReportFiling> AnnualReports { get; set; } = [];

    long IAudited.AuditFirmId => FirmId;

    /// <summary>HNTE default: the day before the third anniversary of the issue date.</summary>
    public static DateOnly DefaultHnteExpiry(DateOnly issuedOn) => issuedOn.AddYears(3).AddDays(-1);
}

public sealed class CaseTransition
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public string? FromStage { get; set; }
    public string ToStage { get; set; } = string.Empty;
    public DateOnly On { get; set; }
    public string? Note { get; set; }
    public long? ById { get; set; }
    public DateTime At { get; set; }
}

/// <summary>HNTE annual development report (年度发展情况报表), due 31 May each year.</summary>
public sealed class AnnualReportFiling
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public int Year { get; set; }
    public DateOnly FiledOn { get; set; }
}
