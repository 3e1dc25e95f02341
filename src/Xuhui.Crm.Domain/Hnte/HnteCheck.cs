namespace Xuhui.Crm.Domain.Hnte;

/// <summary>Pre-check of the objective HNTE criteria (国科发火〔2016〕32号 Art. 11).</summary>
/// <remarks>STUB: to be implemented by the domain work (see issue 2).</remarks>
public static class HnteCheck
{
    public static readonly IReadOnlyList<string> TechFields =
        ["电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化"];

    public static HnteCheckResult Evaluate(HnteFacts facts, DateOnly applicationDate) =>
        throw new NotImplementedException($"{facts} {applicationDate}");
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

public sealed record HnteCheckResult(DateOnly ApplicationDate, CriterionOutcome Overall, IReadOnlyList<HnteCriterionResult> Criteria);
