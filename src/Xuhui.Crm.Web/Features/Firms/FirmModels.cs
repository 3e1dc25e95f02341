using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Features.Firms;

public sealed record FinancialDto(
    int Year,
    decimal? SalesRevenue,
    decimal? TotalRevenue,
    decimal? RdExpense,
    decimal? RdExpenseInChina,
    decimal? HighTechRevenue);

/// <summary>A firm as the API returns it; PUT accepts the same shape (read-only members are ignored).</summary>
public sealed record FirmDto
{
    public long Id { get; init; }
    public int Version { get; init; }
    public string Name { get; init; } = string.Empty;
    public List<string> FormerNames { get; init; } = [];
    public string? EnglishName { get; init; }
    public string? CreditCode { get; init; }
    public bool CreditCodeOverride { get; init; }
    public string? CreditCodeOverrideReason { get; init; }
    public bool IsProspect { get; init; }
    public string District { get; init; } = Firm.DefaultDistrictCode;
    public string DistrictName { get; init; } = Firm.DefaultDistrictName;
    public string? Address { get; init; }
    public string? Zone { get; init; }
    public string? Industry { get; init; }
    public Ownership? Ownership { get; init; }
    public DateOnly? EstablishedOn { get; init; }
    public int? Headcount { get; init; }
    public int? RdHeadcount { get; init; }
    public int? InventionPatents { get; init; }
    public int? CoreIpCount { get; init; }
    public string? TechField { get; init; }
    public int? InnovationScore { get; init; }
    public FirmTier Tier { get; init; }
    public FirmStatus Status { get; init; }
    public long? LeadOfficerId { get; init; }
    public List<long> CoOfficerIds { get; init; } = [];
    public DateOnly? AssignedOn { get; init; }
    public DateOnly? LastVisitOn { get; init; }
    public DateOnly? NextVisitDueOn { get; init; }
    public bool IsArchived { get; init; }
    public List<FinancialDto>? Financials { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public static FirmDto From(Firm f, IEnumerable<long> coOfficerIds, CadenceOptions cadence, bool withFinancials) => new()
    {
        Id = f.Id,
        Version = f.Version,
        Name = f.Name,
        FormerNames = f.FormerNames,
        EnglishName = f.EnglishName,
        CreditCode = f.CreditCode,
        CreditCodeOverride = f.CreditCodeOverride,
        CreditCodeOverrideReason = f.CreditCodeOverrideReason,
        IsProspect = f.IsProspect,
        District = f.DistrictCode,
        DistrictName = f.DistrictName,
        Address = f.Address,
        Zone = f.Zone,
        Industry = f.Industry,
        Ownership = f.Ownership,
        EstablishedOn = f.EstablishedOn,
        Headcount = f.Headcount,
        RdHeadcount = f.RdHeadcount,
        InventionPatents = f.InventionPatents,
        CoreIpCount = f.CoreIpCount,
        TechField = f.TechField,
        InnovationScore = f.InnovationScore,
        Tier = f.Tier,
        Status = f.Status,
        LeadOfficerId = f.LeadOfficerId,
        CoOfficerIds = coOfficerIds.Order().ToList(),
        AssignedOn = f.AssignedOn,
        LastVisitOn = f.LastVisitOn,
        NextVisitDueOn = NextVisitDue(f, cadence),
        IsArchived = f.IsArchived,
        Financials = withFinancials
            ? f.Financials.OrderBy(x => x.Year)
                .Select(x => new FinancialDto(x.Year, x.SalesRevenue, x.TotalRevenue, x.RdExpense, x.RdExpenseInChina, x.HighTechRevenue))
                .ToList()
            : null,
        CreatedAt = f.CreatedAt,
        UpdatedAt = f.UpdatedAt,
    };

    /// <summary>Key firms every 30 days, regular every 90 (configurable); a never-visited firm is due from its assignment.</summary>
    public static DateOnly? NextVisitDue(Firm f, CadenceOptions cadence)
    {
        var from = f.LastVisitOn ?? f.AssignedOn;
        return from?.AddDays(f.Tier == FirmTier.Key ? cadence.KeyDays : cadence.RegularDays);
    }
}

public sealed record FirmPage(List<FirmDto> Items, int Total, int Page, int PageSize);

public sealed record StatusChangeRequest(FirmStatus? Status, DateOnly? EffectiveOn, string? Note);

public sealed record StatusChangeDto(long Id, FirmStatus Status, DateOnly EffectiveOn, string? Note, long? RecordedById, DateTime RecordedAt);

public sealed record AuditEntryDto(long Id, string EntityType, long EntityId, string Action, List<Domain.Auditing.AuditChange> Changes, long? UserId, DateTime At);

public sealed record MergeRequest(long? IntoId);
