namespace Xuhui.Crm.Domain.Hnte;

/// <summary>Stable codes of the criteria, in the order <see cref="HnteCheck.Evaluate"/> reports them.</summary>
public static class HnteCriterionCodes
{
    public const string RegisteredOverOneYear = "registered-over-one-year";
    public const string RdStaffRatio = "rd-staff-ratio";
    public const string RdExpenseRatio = "rd-expense-ratio";
    public const string RdInChinaRatio = "rd-in-china-ratio";
    public const string HighTechRevenueRatio = "high-tech-revenue-ratio";
    public const string CoreIp = "core-ip";
    public const string TechField = "tech-field";
    public const string InnovationScore = "innovation-score";

    public static readonly IReadOnlyList<string> All =
        [RegisteredOverOneYear, RdStaffRatio, RdExpenseRatio, RdInChinaRatio, HighTechRevenueRatio, CoreIp, TechField, InnovationScore];
}

public sealed record YearFinancials(
    int Year,
    decimal? SalesRevenue,
    decimal? RdExpense,
    decimal? RdExpenseInChina,
    decimal? HighTechRevenue,
    decimal? TotalRevenue);

public sealed record HnteFacts(
    DateOnly? EstablishedOn,
    int? Headcount,
    int? RdHeadcount,
    IReadOnlyList<YearFinancials> Financials,
    int? InventionPatents,
    int? CoreIpCount,
    string? TechField,
    int? InnovationScore);

public enum CriterionOutcome
{
    Pass,
    Fail,
    Unknown,
}

/// <param name="Code">Stable code, e.g. "registered-over-one-year", "rd-staff-ratio".</param>
/// <param name="Figures">The figures used (name → value), so officers can see why.</param>
public sealed record HnteCriterionResult(
    string Code,
    string NameZh,
    CriterionOutcome Outcome,
    string Detail,
    IReadOnlyDictionary<string, decimal?> Figures);

public sealed record HnteCheckResult(DateOnly ApplicationDate, CriterionOutcome Overall, IReadOnlyList<HnteCriterionResult> Criteria)
{
    /// <exception cref="KeyNotFoundException">No criterion has that code (see <see cref="HnteCriterionCodes"/>).</exception>
    public HnteCriterionResult this[string code] =>
        Criteria.FirstOrDefault(c => c.Code == code) ?? throw new KeyNotFoundException($"No criterion '{code}'.");
}
