using System.Globalization;

namespace Xuhui.Crm.Domain.Hnte;

/// <summary>Pre-check of the objective HNTE criteria (国科发火〔2016〕32号 Art. 11).</summary>
/// <remarks>
/// Money is in yuan. A criterion is Unknown only when the data it needs is missing; data that is present but
/// cannot meet the rule (for example zero revenue) fails. "Last year" and "the last 3 fiscal years" are the fiscal
/// years before the application year; a firm younger than that uses the years it has operated, counting its
/// founding year. When several <see cref="YearFinancials"/> share a year, the last one wins.
/// </remarks>
public static class HnteCheck
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

    private static HnteCriterionResult CheckRegistration(HnteFacts facts, DateOnly applicationDate)
    {
        const string name = "注册成立一年以上";
        if (facts.EstablishedOn is not { } established)
        {
            return Unknown(HnteCriterionCodes.RegisteredOverOneYear, name, "缺少成立日期", new() { ["daysRegistered"] = null });
        }

        var days = applicationDate.DayNumber - established.DayNumber;
        var figures = new Dictionary<string, decimal?> { ["daysRegistered"] = days, ["minimumDaysExclusive"] = MinimumDaysRegistered };
        return days > MinimumDaysRegistered
            ? Result(HnteCriterionCodes.RegisteredOverOneYear, name, CriterionOutcome.Pass, $"至申请日已成立 {days} 天（须超过 365 天）", figures)
            : Result(HnteCriterionCodes.RegisteredOverOneYear, name, CriterionOutcome.Fail, $"至申请日仅成立 {days} 天，须超过 365 天", figures);
    }

    private static HnteCriterionResult CheckRdStaff(HnteFacts facts)
    {
        const string name = "科技人员占职工总数不低于 10%";
        var figures = new Dictionary<string, decimal?>
        {
            ["headcount"] = facts.Headcount,
            ["rdHeadcount"] = facts.RdHeadcount,
            ["ratio"] = null,
            ["requiredRatio"] = MinimumRdStaffRatio,
        };
        if (facts.Headcount is not { } headcount || facts.RdHeadcount is not { } rd)
        {
            return Unknown(HnteCriterionCodes.RdStaffRatio, name, MissingList(("职工总数", facts.Headcount), ("科技人员数", facts.RdHeadcount)), figures);
        }

        if (headcount <= 0)
        {
            return Result(HnteCriterionCodes.RdStaffRatio, name, CriterionOutcome.Fail, "职工总数为 0，无法满足比例要求", figures);
        }

        var ratio = (decimal)rd / headcount;
        figures["ratio"] = ratio;
        var detail = $"科技人员 {rd} 人 / 职工总数 {headcount} 人 = {Percent(ratio)}（须不低于 10%）";
        return Result(HnteCriterionCodes.RdStaffRatio, name, ratio >= MinimumRdStaffRatio ? CriterionOutcome.Pass : CriterionOutcome.Fail, detail, figures);
    }

    private static HnteCriterionResult CheckRdExpense(Dictionary<int, YearFinancials> byYear, IReadOnlyList<int> years)
    {
        const string name = "近三个会计年度研发费用占销售收入比例";
        var figures = new Dictionary<string, decimal?> { ["years"] = years.Count };
        foreach (var y in years)
        {
            var f = byYear.GetValueOrDefault(y);
            figures[$"salesRevenue{y}"] = f?.SalesRevenue;
            figures[$"rdExpense{y}"] = f?.RdExpense;
        }

        if (years.Count == 0)
        {
            return Result(HnteCriterionCodes.RdExpenseRatio, name, CriterionOutcome.Fail, "申请年度之前没有会计年度", figures);
        }

        var missing = years.SelectMany(y => MissingYear(byYear, y, ("销售收入", f => f.SalesRevenue), ("研发费用", f => f.RdExpense))).ToList();
        if (missing.Count > 0)
        {
            return Unknown(HnteCriterionCodes.RdExpenseRatio, name, "缺少" + string.Join("、", missing), figures);
        }

        var sales = years.Sum(y => byYear[y].SalesRevenue!.Value);
        var rd = years.Sum(y => byYear[y].RdExpense!.Value);
        var lastSales = byYear[years[^1]].SalesRevenue!.Value;
        var required = RequiredRdExpenseRatio(lastSales);
        figures["salesRevenueTotal"] = sales;
        figures["rdExpenseTotal"] = rd;
        figures["lastYearSalesRevenue"] = lastSales;
        figures["requiredRatio"] = required;
        figures["ratio"] = null;
        var band = $"{years[^1]} 年销售收入 {Yuan(lastSales)}，比例须不低于 {Percent(required)}";
        if (sales <= 0)
        {
            return Result(HnteCriterionCodes.RdExpenseRatio, name, CriterionOutcome.Fail, $"{YearSpan(years)}销售收入合计为 {Yuan(sales)}，无法满足比例要求；{band}", figures);
        }

        var ratio = rd / sales;
        figures["ratio"] = ratio;
        var detail = $"{YearSpan(years)}研发费用 {Yuan(rd)} / 销售收入 {Yuan(sales)} = {Percent(ratio)}；{band}";
        return Result(HnteCriterionCodes.RdExpenseRatio, name, rd >= sales * required ? CriterionOutcome.Pass : CriterionOutcome.Fail, detail, figures);
    }

    private static HnteCriterionResult CheckRdInChina(Dictionary<int, YearFinancials> byYear, IReadOnlyList<int> years)
    {
        const string name = "境内研发费用占研发费用总额不低于 60%";
        var figures = new Dictionary<string, decimal?> { ["years"] = years.Count };
        foreach (var y in years)
        {
            var f = byYear.GetValueOrDefault(y);
            figures[$"rdExpense{y}"] = f?.RdExpense;
            figures[$"rdExpenseInChina{y}"] = f?.RdExpenseInChina;
        }

        if (years.Count == 0)
        {
            return Result(HnteCriterionCodes.RdInChinaRatio, name, CriterionOutcome.Fail, "申请年度之前没有会计年度", figures);
        }

        var missing = years.SelectMany(y => MissingYear(byYear, y, ("研发费用", f => f.RdExpense), ("境内研发费用", f => f.RdExpenseInChina))).ToList();
        if (missing.Count > 0)
        {
            return Unknown(HnteCriterionCodes.RdInChinaRatio, name, "缺少" + string.Join("、", missing), figures);
        }

        var rd = years.Sum(y => byYear[y].RdExpense!.Value);
        var inChina = years.Sum(y => byYear[y].RdExpenseInChina!.Value);
        figures["rdExpenseTotal"] = rd;
        figures["rdExpenseInChinaTotal"] = inChina;
        figures["ratio"] = null;
        figures["requiredRatio"] = MinimumRdInChinaRatio;
        if (rd <= 0)
        {
            return Result(HnteCriterionCodes.RdInChinaRatio, name, CriterionOutcome.Fail, $"{YearSpan(years)}研发费用合计为 {Yuan(rd)}", figures);
        }

        var ratio = inChina / rd;
        figures["ratio"] = ratio;
        var detail = $"{YearSpan(years)}境内研发费用 {Yuan(inChina)} / 研发费用 {Yuan(rd)} = {Percent(ratio)}（须不低于 60%）";
        return Result(HnteCriterionCodes.RdInChinaRatio, name, ratio >= MinimumRdInChinaRatio ? CriterionOutcome.Pass : CriterionOutcome.Fail, detail, figures);
    }

    /// <remarks>When total revenue is missing the year's sales revenue stands in for it (and the detail says so).</remarks>
    private static HnteCriterionResult CheckHighTechRevenue(Dictionary<int, YearFinancials> byYear, IReadOnlyList<int> years, int lastYear)
    {
        const string name = "近一年高新技术产品（服务）收入占总收入不低于 60%";
        var f = byYear.GetValueOrDefault(lastYear);
        var total = f?.TotalRevenue ?? f?.SalesRevenue;
        var salesStandsIn = f is { TotalRevenue: null, SalesRevenue: not null };
        var figures = new Dictionary<string, decimal?>
        {
            ["year"] = lastYear,
            ["highTechRevenue"] = f?.HighTechRevenue,
            ["totalRevenue"] = total,
            ["totalRevenueIsSalesRevenue"] = salesStandsIn ? 1 : 0,
            ["ratio"] = null,
            ["requiredRatio"] = MinimumHighTechRevenueRatio,
        };
        if (years.Count == 0)
        {
            return Result(HnteCriterionCodes.HighTechRevenueRatio, name, CriterionOutcome.Fail, "申请年度之前没有会计年度", figures);
        }

        if (f?.HighTechRevenue is not { } highTech || total is not { } t)
        {
            var missing = new List<string>();
            if (f?.HighTechRevenue is null)
            {
                missing.Add($"{lastYear} 年高新技术产品（服务）收入");
            }

            if (total is null)
            {
                missing.Add($"{lastYear} 年总收入（及销售收入）");
            }

            return Unknown(HnteCriterionCodes.HighTechRevenueRatio, name, "缺少" + string.Join("、", missing), figures);
        }

        var totalLabel = salesStandsIn ? "销售收入（总收入缺失，以销售收入代替）" : "总收入";
        if (t <= 0)
        {
            return Result(HnteCriterionCodes.HighTechRevenueRatio, name, CriterionOutcome.Fail, $"{lastYear} 年{totalLabel}为 {Yuan(t)}，无法满足比例要求", figures);
        }

        var ratio = highTech / t;
        figures["ratio"] = ratio;
        var detail = $"{lastYear} 年高新技术产品（服务）收入 {Yuan(highTech)} / {totalLabel} {Yuan(t)} = {Percent(ratio)}（须不低于 60%）";
        return Result(HnteCriterionCodes.HighTechRevenueRatio, name, ratio >= MinimumHighTechRevenueRatio ? CriterionOutcome.Pass : CriterionOutcome.Fail, detail, figures);
    }

    private static HnteCriterionResult CheckCoreIp(HnteFacts facts)
    {
        const string name = "拥有核心自主知识产权";
        var figures = new Dictionary<string, decimal?>
        {
            ["inventionPatents"] = facts.InventionPatents,
            ["coreIpCount"] = facts.CoreIpCount,
        };
        var detail = $"发明专利 {Count(facts.InventionPatents)}，核心知识产权 {Count(facts.CoreIpCount)}";
        if (facts.InventionPatents > 0 || facts.CoreIpCount > 0)
        {
            return Result(HnteCriterionCodes.CoreIp, name, CriterionOutcome.Pass, detail, figures);
        }

        return facts.InventionPatents is null || facts.CoreIpCount is null
            ? Unknown(HnteCriterionCodes.CoreIp, name, detail + "；数据不全，无法判断", figures)
            : Result(HnteCriterionCodes.CoreIp, name, CriterionOutcome.Fail, detail + "；未拥有核心自主知识产权", figures);
    }

    private static HnteCriterionResult CheckTechField(HnteFacts facts)
    {
        const string name = "核心技术属于《国家重点支持的高新技术领域》";
        var field = facts.TechField?.Trim();
        var figures = new Dictionary<string, decimal?>();
        if (string.IsNullOrEmpty(field))
        {
            return Unknown(HnteCriterionCodes.TechField, name, "缺少技术领域", figures);
        }

        return TechFields.Contains(field)
            ? Result(HnteCriterionCodes.TechField, name, CriterionOutcome.Pass, $"技术领域：{field}", figures)
            : Result(HnteCriterionCodes.TechField, name, CriterionOutcome.Fail, $"技术领域「{field}」不属于八大领域（{string.Join("、", TechFields)}）", figures);
    }

    private static HnteCriterionResult CheckInnovationScore(HnteFacts facts)
    {
        const string name = "创新能力评价得分 70 分以上";
        var figures = new Dictionary<string, decimal?> { ["score"] = facts.InnovationScore, ["minimumScoreExclusive"] = MinimumInnovationScore };
        if (facts.InnovationScore is not { } score)
        {
            return Unknown(HnteCriterionCodes.InnovationScore, name, "缺少创新能力评价得分", figures);
        }

        return score > MinimumInnovationScore
            ? Result(HnteCriterionCodes.InnovationScore, name, CriterionOutcome.Pass, $"得分 {score} 分（须高于 70 分）", figures)
            : Result(HnteCriterionCodes.InnovationScore, name, CriterionOutcome.Fail, $"得分 {score} 分，须高于 70 分", figures);
    }

    private static IEnumerable<string> MissingYear(
        Dictionary<int, YearFinancials> byYear, int year, params (string Label, Func<YearFinancials, decimal?> Get)[] fields)
    {
        if (!byYear.TryGetValue(year, out var f))
        {
            return [$"{year} 年财务数据"];
        }

        return fields.Where(x => x.Get(f) is null).Select(x => $"{year} 年{x.Label}");
    }

    private static string MissingList(params (string Label, int? Value)[] values) =>
        "缺少" + string.Join("、", values.Where(v => v.Value is null).Select(v => v.Label));

    private static string YearSpan(IReadOnlyList<int> years) =>
        years.Count == 1 ? $"{years[0]} 年" : $"{years[0]}–{years[^1]} 年";

    private static string Yuan(decimal amount) => "¥" + amount.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Percent(decimal ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Count(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "未知";

    private static HnteCriterionResult Unknown(string code, string name, string detail, Dictionary<string, decimal?> figures) =>
        Result(code, name, CriterionOutcome.Unknown, detail, figures);

    private static HnteCriterionResult Result(
        string code, string name, CriterionOutcome outcome, string detail, Dictionary<string, decimal?> figures) =>
        new(code, name, outcome, detail, figures);
}

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
