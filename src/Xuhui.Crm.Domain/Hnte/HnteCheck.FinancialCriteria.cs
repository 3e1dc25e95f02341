namespace Xuhui.Crm.Domain.Hnte;

/// <summary>The criteria on the fiscal years' financial figures.</summary>
public static partial class HnteCheck
{
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
}
