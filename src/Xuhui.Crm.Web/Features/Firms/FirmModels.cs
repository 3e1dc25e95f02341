using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Firms;

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

/// <summary>
/// The columns of a firm that <see cref="FirmDto"/> shows, read by a projection in SQL (<see cref="Of"/>): the list and
/// the detail skip materialising the entity (its search text, navigations and change-tracking shape), a large part of
/// a search page's CPU.
/// </summary>
public sealed class FirmColumns
{
    /// <summary>The projection; EF inlines it into compiled queries too.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Firm, FirmColumns>> Of = f => new FirmColumns
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
        DistrictCode = f.DistrictCode,
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
        AssignedOn = f.AssignedOn,
        LastVisitOn = f.LastVisitOn,
        IsArchived = f.IsArchived,
        CreatedAt = f.CreatedAt,
        UpdatedAt = f.UpdatedAt,
    };

    public long Id { get; init; }
    public int Version { get; init; }
    public string Name { get; init; } = string.Empty;
    public List<string> FormerNames { get; init; } = [];
    public string? EnglishName { get; init; }
    public string? CreditCode { get; init; }
    public bool CreditCodeOverride { get; init; }
    public string? CreditCodeOverrideReason { get; init; }
    public bool IsProspect { get; init; }
    public string DistrictCode { get; init; } = Firm.DefaultDistrictCode;
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
    public DateOnly? AssignedOn { get; init; }
    public DateOnly? LastVisitOn { get; init; }
    public bool IsArchived { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    /// <summary>Read by <see cref="WithDetails"/> only (the detail), in year order.</summary>
    public List<FinancialDto>? Financials { get; init; }

    /// <summary>
    /// Read by <see cref="WithCoOfficers"/> and <see cref="WithDetails"/>: the co-officers' ids as one text column,
    /// comma-separated (empty or null when there are none); <see cref="CoOfficerIds"/> parses it.
    /// </summary>
    public string? CoOfficerList { get; init; }

    /// <summary>The ids of <see cref="CoOfficerList"/>, ascending.</summary>
    public List<long> CoOfficerIds() => ParseIds(CoOfficerList);

    /// <summary>
    /// <see cref="Of"/> plus the co-officers aggregated into one column by a correlated subquery (SQLite group_concat,
    /// PostgreSQL string_agg, both over the key (FirmId, UserId)), so a list page is one statement and needs no
    /// parameter of the page's ids (a separate co-officer query could not be compiled). Written as a group because EF
    /// translates string.Join only as a grouping's aggregate; an ordered one (OrderBy inside the group) needs APPLY on
    /// SQLite, so <see cref="ParseIds"/> orders instead.
    /// </summary>
    public static readonly System.Linq.Expressions.Expression<Func<Firm, FirmColumns>> WithCoOfficers = Extend(Of, f => new FirmColumns
    {
        CoOfficerList = f.CoOfficers.GroupBy(o => o.FirmId)
            .Select(g => string.Join(",", g.Select(o => o.UserId.ToString())))
            .FirstOrDefault(),
    });

    /// <summary>
    /// <see cref="WithCoOfficers"/> plus the financials, in one statement: the detail reads them without materialising
    /// the entity and its collections (the co-officers as a column, not a second join that multiplied the financials'
    /// rows).
    /// </summary>
    public static readonly System.Linq.Expressions.Expression<Func<Firm, FirmColumns>> WithDetails = Extend(WithCoOfficers, f => new FirmColumns
    {
        Financials = f.Financials.OrderBy(x => x.Year)
            .Select(x => new FinancialDto(x.Year, x.SalesRevenue, x.TotalRevenue, x.RdExpense, x.RdExpenseInChina, x.HighTechRevenue))
            .ToList(),
    });

    /// <summary>Comma-separated ids, ascending (sorted here: neither aggregate promises an order).</summary>
    internal static List<long> ParseIds(string? list)
    {
        if (string.IsNullOrEmpty(list))
        {
            return [];
        }

        var ids = new List<long>(list.Length / 2 + 1);
        var sorted = true;
        foreach (var range in list.AsSpan().Split(','))
        {
            var id = long.Parse(list.AsSpan(range), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
            sorted &= ids.Count == 0 || ids[^1] <= id;
            ids.Add(id);
        }

        if (!sorted)
        {
            ids.Sort();
        }

        return ids;
    }

    /// <summary><paramref name="first"/>'s member bindings followed by those of <paramref name="more"/>, on one parameter.</summary>
    private static System.Linq.Expressions.Expression<Func<Firm, FirmColumns>> Extend(
        System.Linq.Expressions.Expression<Func<Firm, FirmColumns>> first,
        System.Linq.Expressions.Expression<Func<Firm, FirmColumns>> more)
    {
        var baseInit = (System.Linq.Expressions.MemberInitExpression)first.Body;
        var moreInit = (System.Linq.Expressions.MemberInitExpression)new ParameterSwap(more.Parameters[0], first.Parameters[0]).Visit(more.Body);
        return System.Linq.Expressions.Expression.Lambda<Func<Firm, FirmColumns>>(
            System.Linq.Expressions.Expression.MemberInit(baseInit.NewExpression, baseInit.Bindings.Concat(moreInit.Bindings)), first.Parameters);
    }

    private sealed class ParameterSwap(System.Linq.Expressions.ParameterExpression from, System.Linq.Expressions.ParameterExpression to)
        : System.Linq.Expressions.ExpressionVisitor
    {
        protected override System.Linq.Expressions.Expression VisitParameter(System.Linq.Expressions.ParameterExpression node) => node == from ? to : node;
    }
}

public sealed record FirmPage(List<FirmDto> Items, int Total, int Page, int PageSize);

[WritesTo(typeof(FirmStatusChange))]
public sealed record StatusChangeRequest(FirmStatus? Status, DateOnly? EffectiveOn, string? Note);

public sealed record StatusChangeDto(long Id, FirmStatus Status, DateOnly EffectiveOn, string? Note, long? RecordedById, DateTime RecordedAt);

public sealed record AuditEntryDto(long Id, string EntityType, long EntityId, string Action, List<Domain.Auditing.AuditChange> Changes, long? UserId, DateTime At);

public sealed record MergeRequest(long? IntoId);
