using Xuhui.Crm.Domain.Hnte;
using static Xuhui.Crm.Domain.Hnte.HnteCriterionCodes;

namespace Xuhui.Crm.Domain.Tests.Hnte;

public sealed partial class HnteCheckTests
{
    // R&D expense ratio: bands by last year's sales, upper bounds inclusive.

    [Theory]
    [InlineData("49999999", "0.05")]
    [InlineData("50000000", "0.05")]
    [InlineData("50000001", "0.04")]
    [InlineData("199999999", "0.04")]
    [InlineData("200000000", "0.04")]
    [InlineData("200000001", "0.03")]
    [InlineData("0", "0.05")]
    public void The_required_rd_ratio_follows_the_sales_band_including_its_upper_bound(string sales, string required)
    {
        Assert.Equal(decimal.Parse(required, System.Globalization.CultureInfo.InvariantCulture),
            HnteCheck.RequiredRdExpenseRatio(decimal.Parse(sales, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    // Exactly ¥50M is in the 5 % band: 4.5 % fails there and passes one yuan above.
    [InlineData(49_999_999, 2_249_999.955, CriterionOutcome.Fail, 5)]
    [InlineData(50_000_000, 2_250_000, CriterionOutcome.Fail, 5)]
    [InlineData(50_000_000, 2_500_000, CriterionOutcome.Pass, 5)]
    [InlineData(50_000_001, 2_250_000.045, CriterionOutcome.Pass, 4)]
    // Exactly ¥200M is in the 4 % band: 3.5 % fails there and passes one yuan above.
    [InlineData(199_999_999, 6_999_999.965, CriterionOutcome.Fail, 4)]
    [InlineData(200_000_000, 7_000_000, CriterionOutcome.Fail, 4)]
    [InlineData(200_000_000, 8_000_000, CriterionOutcome.Pass, 4)]
    [InlineData(200_000_001, 7_000_000.035, CriterionOutcome.Pass, 3)]
    [InlineData(200_000_001, 6_000_000, CriterionOutcome.Fail, 3)]
    public void Rd_expense_ratio_is_judged_against_the_band_at_each_edge(double sales, double rd, CriterionOutcome expected, int requiredPercent)
    {
        var c = Evaluate(WithSalesAndRd((decimal)sales, (decimal)rd))[RdExpenseRatio];

        Assert.Equal(expected, c.Outcome);
        Assert.Equal(requiredPercent / 100m, c.Figures["requiredRatio"]);
        Assert.Equal((decimal)sales, c.Figures["lastYearSalesRevenue"]);
    }

    [Fact]
    public void Rd_expense_ratio_exactly_at_the_threshold_passes()
    {
        var c = Evaluate(WithSalesAndRd(100_000_000m, 4_000_000m))[RdExpenseRatio];

        Assert.Equal(CriterionOutcome.Pass, c.Outcome);
        Assert.Equal(0.04m, c.Figures["ratio"]);
    }

    [Fact]
    public void Rd_expense_ratio_uses_three_year_totals_but_the_band_of_the_last_year()
    {
        // 3-year ratio 9M / 300M = 3 %; last year ¥250M puts the firm in the 3 % band.
        var facts = PassingFirm() with
        {
            Financials =
            [
                Year(2022, 1_000_000_000m, 0m), // before the window: ignored
                Year(2023, 20_000_000m, 600_000m),
                Year(2024, 30_000_000m, 900_000m),
                Year(2025, 250_000_000m, 7_500_000m),
                Year(2026, 1m, 0m), // the application year itself: ignored
            ],
        };

        var c = Evaluate(facts)[RdExpenseRatio];

        Assert.Equal(CriterionOutcome.Pass, c.Outcome);
        Assert.Equal(3m, c.Figures["years"]);
        Assert.Equal(300_000_000m, c.Figures["salesRevenueTotal"]);
        Assert.Equal(9_000_000m, c.Figures["rdExpenseTotal"]);
        Assert.Equal(0.03m, c.Figures["ratio"]);
        Assert.Equal(0.03m, c.Figures["requiredRatio"]);
        Assert.Equal(250_000_000m, c.Figures["lastYearSalesRevenue"]);
        Assert.Equal(30_000_000m, c.Figures["salesRevenue2024"]);
        Assert.False(c.Figures.ContainsKey("salesRevenue2022"));
        Assert.Equal(
            "2023–2025 年研发费用 ¥9,000,000 / 销售收入 ¥300,000,000 = 3%；2025 年销售收入 ¥250,000,000，比例须不低于 3%",
            c.Detail);
    }

    [Fact]
    public void A_firm_younger_than_three_years_uses_its_actual_years_of_operation()
    {
        var facts = PassingFirm() with
        {
            EstablishedOn = new DateOnly(2024, 9, 1),
            Financials = [Year(2024, 5_000_000m, 300_000m), Year(2025, 20_000_000m, 1_000_000m)],
        };

        var result = Evaluate(facts);
        var c = result[RdExpenseRatio];

        Assert.Equal(CriterionOutcome.Pass, c.Outcome);
        Assert.Equal(2m, c.Figures["years"]);
        Assert.Equal(0.052m, c.Figures["ratio"]);
        Assert.Equal(CriterionOutcome.Pass, result[RdInChinaRatio].Outcome);
        Assert.Equal([2024, 2025], HnteCheck.FiscalYears(facts.EstablishedOn, ApplicationDate));
    }

    [Fact]
    public void A_firm_founded_in_the_application_year_has_no_fiscal_year_and_fails_the_ratios()
    {
        var result = Evaluate(PassingFirm() with { EstablishedOn = new DateOnly(2026, 1, 10), Financials = [] });

        Assert.Equal(CriterionOutcome.Fail, result[RdExpenseRatio].Outcome);
        Assert.Equal(CriterionOutcome.Fail, result[RdInChinaRatio].Outcome);
        Assert.Equal(CriterionOutcome.Fail, result[HighTechRevenueRatio].Outcome);
    }

    [Fact]
    public void Rd_expense_ratio_with_a_missing_year_is_unknown_and_names_the_year()
    {
        var c = Evaluate(PassingFirm() with { Financials = [Year(2023), Year(2025)] })[RdExpenseRatio];

        Assert.Equal(CriterionOutcome.Unknown, c.Outcome);
        Assert.Equal("缺少2024 年财务数据", c.Detail);
        Assert.Null(c.Figures["salesRevenue2024"]);
    }

    [Fact]
    public void Rd_expense_ratio_with_a_missing_figure_is_unknown()
    {
        var facts = PassingFirm() with { Financials = [Year(2023), Year(2024, rd: null), Year(2025)] };

        var c = Evaluate(facts)[RdExpenseRatio];

        Assert.Equal(CriterionOutcome.Unknown, c.Outcome);
        Assert.Equal("缺少2024 年研发费用", c.Detail);
    }

    [Fact]
    public void Without_a_founding_date_the_full_three_years_are_needed()
    {
        var facts = PassingFirm() with { EstablishedOn = null, Financials = [Year(2024), Year(2025)] };

        Assert.Equal(CriterionOutcome.Unknown, Evaluate(facts)[RdExpenseRatio].Outcome);
    }

    [Fact]
    public void Zero_sales_fails_the_rd_expense_ratio()
    {
        Assert.Equal(CriterionOutcome.Fail, Evaluate(WithSalesAndRd(0m, 1_000_000m))[RdExpenseRatio].Outcome);
    }

    [Fact]
    public void When_a_year_is_given_twice_the_last_entry_counts()
    {
        var facts = PassingFirm() with { Financials = [Year(2023), Year(2024, rd: 0m), Year(2025), Year(2024)] };

        Assert.Equal(3_000_000m, Evaluate(facts)[RdExpenseRatio].Figures["rdExpense2024"]);
    }
}
