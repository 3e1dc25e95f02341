using Xuhui.Crm.Domain.Hnte;
using static Xuhui.Crm.Domain.Hnte.HnteCriterionCodes;

namespace Xuhui.Crm.Domain.Tests.Hnte;

public sealed partial class HnteCheckTests
{
    // R&D in China ≥ 60 %.

    [Theory]
    [InlineData(600_000, CriterionOutcome.Pass)]
    [InlineData(599_999, CriterionOutcome.Fail)]
    [InlineData(1_000_000, CriterionOutcome.Pass)]
    public void Rd_spent_in_china_must_be_at_least_sixty_percent(int inChinaPerYear, CriterionOutcome expected)
    {
        var y = (int year) => new YearFinancials(year, 10_000_000m, 1_000_000m, inChinaPerYear, 8_000_000m, 10_000_000m);
        var c = Evaluate(PassingFirm() with { Financials = [y(2023), y(2024), y(2025)] })[RdInChinaRatio];

        Assert.Equal(expected, c.Outcome);
        Assert.Equal(3_000_000m, c.Figures["rdExpenseTotal"]);
        Assert.Equal(inChinaPerYear * 3m, c.Figures["rdExpenseInChinaTotal"]);
    }

    [Fact]
    public void Rd_in_china_with_a_missing_figure_is_unknown()
    {
        var facts = PassingFirm() with { Financials = [Year(2023), Year(2024), Year(2025) with { RdExpenseInChina = null }] };

        var c = Evaluate(facts)[RdInChinaRatio];

        Assert.Equal(CriterionOutcome.Unknown, c.Outcome);
        Assert.Equal("缺少2025 年境内研发费用", c.Detail);
    }

    // High-tech revenue ≥ 60 % of total revenue in the latest year.

    [Theory]
    [InlineData(6_000_000, CriterionOutcome.Pass)]
    [InlineData(5_999_999, CriterionOutcome.Fail)]
    public void High_tech_revenue_must_be_at_least_sixty_percent_of_total_revenue(int highTech, CriterionOutcome expected)
    {
        var facts = PassingFirm() with
        {
            Financials = [Year(2023), Year(2024), Year(2025) with { HighTechRevenue = highTech, TotalRevenue = 10_000_000m }],
        };

        var c = Evaluate(facts)[HighTechRevenueRatio];

        Assert.Equal(expected, c.Outcome);
        Assert.Equal(2025m, c.Figures["year"]);
        Assert.Equal((decimal)highTech, c.Figures["highTechRevenue"]);
        Assert.Equal(10_000_000m, c.Figures["totalRevenue"]);
        Assert.Equal(0m, c.Figures["totalRevenueIsSalesRevenue"]);
    }

    [Fact]
    public void High_tech_revenue_uses_only_the_latest_fiscal_year()
    {
        var facts = PassingFirm() with { Financials = [Year(2023) with { HighTechRevenue = 0m }, Year(2024), Year(2025)] };

        Assert.Equal(CriterionOutcome.Pass, Evaluate(facts)[HighTechRevenueRatio].Outcome);
    }

    [Fact]
    public void High_tech_revenue_falls_back_to_sales_revenue_when_total_revenue_is_missing_and_says_so()
    {
        var facts = PassingFirm() with
        {
            Financials = [Year(2023), Year(2024), new YearFinancials(2025, 10_000_000m, 1_000_000m, 1_000_000m, 7_000_000m, null)],
        };

        var c = Evaluate(facts)[HighTechRevenueRatio];

        Assert.Equal(CriterionOutcome.Pass, c.Outcome);
        Assert.Equal(10_000_000m, c.Figures["totalRevenue"]);
        Assert.Equal(1m, c.Figures["totalRevenueIsSalesRevenue"]);
        Assert.Equal(0.7m, c.Figures["ratio"]);
        Assert.Contains("以销售收入代替", c.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void High_tech_revenue_without_any_revenue_figure_is_unknown()
    {
        var facts = PassingFirm() with
        {
            Financials = [Year(2023), Year(2024), new YearFinancials(2025, null, 1_000_000m, 1_000_000m, 7_000_000m, null)],
        };

        var c = Evaluate(facts)[HighTechRevenueRatio];

        Assert.Equal(CriterionOutcome.Unknown, c.Outcome);
        Assert.Contains("2025 年总收入", c.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void High_tech_revenue_without_the_latest_year_is_unknown()
    {
        var c = Evaluate(PassingFirm() with { Financials = [Year(2023), Year(2024)] })[HighTechRevenueRatio];

        Assert.Equal(CriterionOutcome.Unknown, c.Outcome);
        Assert.Contains("2025 年高新技术产品（服务）收入", c.Detail, StringComparison.Ordinal);
    }
}
