using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Shared.Firms;

public sealed record FinancialDto(
    int Year,
    decimal? SalesRevenue,
    decimal? TotalRevenue,
    decimal? RdExpense,
    decimal? RdExpenseInChina,
    decimal? HighTechRevenue);

/// <summary>A firm as the API returns it; PUT accepts the same shape (read-only members are ignored).</summary>
[WritesTo(typeof(Firm))]
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
    /// <summary>Decided by the server (see CreateFirm.ResolveDistrict); in a request it may be absent, and a PUT may only repeat it.</summary>
    [WritesColumn(nameof(Firm.DistrictCode))]
    public string? District { get; init; }

    /// <summary>Always the reference data's name of <see cref="District"/>; ignored in a request.</summary>
    public string? DistrictName { get; init; }
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

    /// <summary>A tracked or freshly saved entity (create, update): the same mapping as the list and the detail.</summary>
    public static FirmDto From(Firm f, IEnumerable<long> coOfficerIds, CadenceOptions cadence, bool withFinancials) =>
        From(
            ColumnsOf(f),
            coOfficerIds.Order().ToList(),
            cadence,
            withFinancials
                ? f.Financials.OrderBy(x => x.Year)
                    .Select(x => new FinancialDto(x.Year, x.SalesRevenue, x.TotalRevenue, x.RdExpense, x.RdExpenseInChina, x.HighTechRevenue))
                    .ToList()
                : null);

    private static readonly Func<Firm, FirmColumns> ColumnsOf = FirmColumns.Of.Compile();

    /// <summary>A firm read as <see cref="FirmColumns"/> (list and detail: no entity is materialised).</summary>
    public static FirmDto From(FirmColumns f, List<long> coOfficerIds, CadenceOptions cadence, List<FinancialDto>? financials) => new()
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
        CoOfficerIds = coOfficerIds,
        AssignedOn = f.AssignedOn,
        LastVisitOn = f.LastVisitOn,
        NextVisitDueOn = NextVisitDue(f.LastVisitOn, f.AssignedOn, f.Tier, cadence),
        IsArchived = f.IsArchived,
        Financials = financials,
        CreatedAt = f.CreatedAt,
        UpdatedAt = f.UpdatedAt,
    };

    /// <summary>Key firms every 30 days, regular every 90 (configurable); a never-visited firm is due from its assignment.</summary>
    public static DateOnly? NextVisitDue(Firm f, CadenceOptions cadence) => NextVisitDue(f.LastVisitOn, f.AssignedOn, f.Tier, cadence);

    private static DateOnly? NextVisitDue(DateOnly? lastVisitOn, DateOnly? assignedOn, FirmTier tier, CadenceOptions cadence)
    {
        var from = lastVisitOn ?? assignedOn;
        return from?.AddDays(tier == FirmTier.Key ? cadence.KeyDays : cadence.RegularDays);
    }
}

public sealed record FirmPage(List<FirmDto> Items, int Total, int Page, int PageSize);
