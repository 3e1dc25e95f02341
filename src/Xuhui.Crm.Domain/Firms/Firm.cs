namespace Xuhui.Crm.Domain.Firms;

/// <summary>Anything two officers can edit carries a version; a stale update is refused.</summary>
public interface IVersioned
{
    int Version { get; set; }
}

/// <summary>Entities whose changes are written to the audit trail of a firm.</summary>
public interface IAudited
{
    long Id { get; }

    /// <summary>The firm whose trail this change belongs to.</summary>
    long AuditFirmId { get; }
}

public enum Ownership
{
    DomesticPrivate,
    StateOwned,
    ForeignInvested,
    HongKongMacaoTaiwan,
}

public enum FirmTier
{
    Regular,
    Key,
}

public enum FirmStatus
{
    Active,
    MovedIn,
    MovedOut,
    Deregistered,
}

public sealed class Firm : IVersioned, IAudited, Districts.IDistrictOwned
{
    public const string DefaultDistrictCode = "310104";
    public const string DefaultDistrictName = "徐汇区";

    public long Id { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = string.Empty;
    public List<string> FormerNames { get; set; } = [];
    public string? EnglishName { get; set; }

    /// <summary>Normalised unified social credit code; null only for a prospect with no Chinese entity yet.</summary>
    public string? CreditCode { get; set; }

    /// <summary>A pilot-era code that fails the check is accepted only with a recorded override.</summary>
    public bool CreditCodeOverride { get; set; }

    /// <summary>A prospect with no Chinese entity yet (e.g. a foreign R&amp;D-centre lead) may have no credit code.</summary>
    public bool IsProspect { get; set; }
    public string? CreditCodeOverrideReason { get; set; }

    public string DistrictCode { get; set; } = DefaultDistrictCode;
    public string DistrictName { get; set; } = DefaultDistrictName;
    public string? Address { get; set; }
    public string? Zone { get; set; }
    public string? Industry { get; set; }
    public Ownership? Ownership { get; set; }
    public DateOnly? EstablishedOn { get; set; }
    public int? Headcount { get; set; }
    public int? RdHeadcount { get; set; }
    public int? InventionPatents { get; set; }
    public int? CoreIpCount { get; set; }
    public string? TechField { get; set; }
    public int? InnovationScore { get; set; }
    public FirmTier Tier { get; set; } = FirmTier.Regular;

    /// <summary>Current status; the history with effective dates is in <see cref="StatusChanges"/>.</summary>
    public FirmStatus Status { get; set; } = FirmStatus.Active;

    public long? LeadOfficerId { get; set; }

    /// <summary>When the current lead officer was assigned: a never-visited firm is due from that day.</summary>
    public DateOnly? AssignedOn { get; set; }

    /// <summary>Date of the latest done visit of a cadence-resetting kind (denormalised for lists and reminders).</summary>
    public DateOnly? LastVisitOn { get; set; }

    public bool IsArchived { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Normalised name, former names and credit code, for search.</summary>
    public string SearchText { get; set; } = string.Empty;

    public List<FirmOfficer> CoOfficers { get; set; } = [];
    public List<FirmFinancial> Financials { get; set; } = [];
    public List<FirmStatusChange> StatusChanges { get; set; } = [];

    long IAudited.AuditFirmId => Id;
}

public sealed class FirmOfficer
{
    public long FirmId { get; set; }
    public long UserId { get; set; }
}

/// <summary>One fiscal year's figures, in yuan.</summary>
public sealed class FirmFinancial : IAudited
{
    public long Id { get; set; }
    public long FirmId { get; set; }
    public int Year { get; set; }
    public decimal? SalesRevenue { get; set; }
    public decimal? TotalRevenue { get; set; }
    public decimal? RdExpense { get; set; }
    public decimal? RdExpenseInChina { get; set; }
    public decimal? HighTechRevenue { get; set; }

    long IAudited.AuditFirmId => FirmId;
}

public sealed class FirmStatusChange
{
    public long Id { get; set; }
    public long FirmId { get; set; }
    public FirmStatus Status { get; set; }
    public DateOnly EffectiveOn { get; set; }
    public string? Note { get; set; }
    public long? RecordedById { get; set; }
    public DateTime RecordedAt { get; set; }

    /// <summary>
    /// The district the firm belongs to from this change on (a transfer writes moved-out in the old district and moved-in
    /// in the new one, same day); null on rows written before districts were recorded: the firm's current district.
    /// </summary>
    public string? DistrictCode { get; set; }
}

public sealed class Contact : IVersioned, IAudited, Districts.IFirmOwned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public long FirmId { get; set; }
    public string Name { get; set; } = string.Empty;
    public string? Title { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? WeChat { get; set; }
    public bool IsArchived { get; set; }

    long IAudited.AuditFirmId => FirmId;
}
