namespace Xuhui.Crm.Domain.Hnte;

/// <summary>Pre-check of the objective HNTE criteria (国科发火〔2016〕32号 Art. 11).</summary>
/// <remarks>
/// Money is in yuan. A criterion is Unknown only when the data it needs is missing; data that is present but
/// cannot meet the rule (for example zero revenue) fails. "Last year" and "the last 3 fiscal years" are the fiscal
/// years before the application year; a firm younger than that uses the years it has operated, counting its
/// founding year. When several <see cref="YearFinancials"/> share a year, the last one wins.
/// </remarks>
public static partial class HnteCheck
{
    public static readonly IReadOnlyList<string> TechFields =
        ["电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化"];

    /// <summary>Upper bounds (inclusive) of the first two sales bands, in yuan.</summary>
    public const decimal SmallFirmSalesLimit = 50_000_000m;
    public const decimal MediumFirmSalesLimit = 200_000_000m;

    public const int MinimumDaysRegistered = 365;
    public const decimal MinimumRdStaffRatio = 0.10m;
    public const decimal MinimumRdInChinaRatio = 0.60m;
    public const decimal MinimumHighTechRevenueRatio = 0.60m;
    public const int MinimumInnovationScore = 70;

    /// <summary>The R&amp;D expense ratio required for a firm with last year's sales revenue <paramref name="lastYearSales"/>.</summary>
    public static decimal RequiredRdExpenseRatio(decimal lastYearSales) => lastYearSales switch
    {
        <= SmallFirmSalesLimit => 0.05m,
        <= MediumFirmSalesLimit => 0.04m,
        _ => 0.03m,
    };

    /// <summary>The fiscal years the 3-year ratios use: up to 3 years before the application year, none before founding.</summary>
    public static IReadOnlyList<int> FiscalYears(DateOnly? establishedOn, DateOnly applicationDate)
    {
        var last = applicationDate.Year - 1;
        var first = Math.Max(last - 2, establishedOn?.Year ?? int.MinValue);
        return first > last ? [] : Enumerable.Range(first, last - first + 1).ToList();
    }

    public static HnteCheckResult Evaluate(HnteFacts facts, DateOnly applicationDate)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var byYear = new Dictionary<int, YearFinancials>();
        foreach (var f in facts.Financials ?? [])
        {
            byYear[f.Year] = f;
        }

        var years = FiscalYears(facts.EstablishedOn, applicationDate);
        List<HnteCriterionResult> criteria =
        [
            CheckRegistration(facts, applicationDate),
            CheckRdStaff(facts),
            CheckRdExpense(byYear, years),
            CheckRdInChina(byYear, years),
            CheckHighTechRevenue(byYear, years, applicationDate.Year - 1),
            CheckCoreIp(facts),
            CheckTechField(facts),
            CheckInnovationScore(facts),
        ];

        var overall = criteria.Any(c => c.Outcome == CriterionOutcome.Fail) ? CriterionOutcome.Fail
            : criteria.Any(c => c.Outcome == CriterionOutcome.Unknown) ? CriterionOutcome.Unknown
            : CriterionOutcome.Pass;
        return new HnteCheckResult(applicationDate, overall, criteria);
    }
}
