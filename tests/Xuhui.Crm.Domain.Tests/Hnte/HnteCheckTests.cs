using Xuhui.Crm.Domain.Hnte;
using static Xuhui.Crm.Domain.Hnte.HnteCriterionCodes;

namespace Xuhui.Crm.Domain.Tests.Hnte;

public sealed class HnteCheckTests
{
    private static readonly DateOnly ApplicationDate = new(2026, 6, 1);

    /// <summary>A firm that meets every criterion comfortably; tests change one thing at a time.</summary>
    private static HnteFacts PassingFirm() => new(
        EstablishedOn: new DateOnly(2018, 3, 15),
        Headcount: 100,
        RdHeadcount: 20,
        Financials: [Year(2023), Year(2024), Year(2025)],
        InventionPatents: 2,
        CoreIpCount: 5,
        TechField: "电子信息",
        InnovationScore: 80);

    private static YearFinancials Year(int year, decimal sales = 40_000_000m, decimal? rd = 3_000_000m) =>
        new(year, sales, rd, rd, HighTechRevenue: 30_000_000m, TotalRevenue: 40_000_000m);

    private static HnteFacts WithSalesAndRd(decimal sales, decimal rd) =>
        PassingFirm() with { Financials = [Year(2023, sales, rd), Year(2024, sales, rd), Year(2025, sales, rd)] };

    private static HnteCheckResult Evaluate(HnteFacts facts) => HnteCheck.Evaluate(facts, ApplicationDate);

    [Fact]
    public void A_firm_meeting_every_criterion_passes_overall()
    {
        var result = Evaluate(PassingFirm());

        Assert.Equal(CriterionOutcome.Pass, result.Overall);
        Assert.Equal(ApplicationDate, result.ApplicationDate);
        Assert.Equal(All, result.Criteria.Select(c => c.Code));
        Assert.All(result.Criteria, c => Assert.Equal(CriterionOutcome.Pass, c.Outcome));
        Assert.All(result.Criteria, c => Assert.False(string.IsNullOrWhiteSpace(c.NameZh)));
        Assert.All(result.Criteria, c => Assert.False(string.IsNullOrWhiteSpace(c.Detail)));
    }

    [Fact]
    public void One_failure_makes_the_overall_result_fail_even_with_unknowns()
    {
        var result = Evaluate(PassingFirm() with { InnovationScore = 60, TechField = null });

        Assert.Equal(CriterionOutcome.Fail, result.Overall);
        Assert.Equal(CriterionOutcome.Unknown, result[TechField].Outcome);
    }

    [Fact]
    public void An_unknown_without_failures_makes_the_overall_result_unknown()
    {
        var result = Evaluate(PassingFirm() with { InnovationScore = null });

        Assert.Equal(CriterionOutcome.Unknown, result.Overall);
        Assert.Equal(CriterionOutcome.Unknown, result[InnovationScore].Outcome);
        Assert.Equal(CriterionOutcome.Pass, result[RdExpenseRatio].Outcome);
    }

    [Fact]
    public void A_firm_with_no_data_is_unknown_on_every_criterion()
    {
        var result = Evaluate(new HnteFacts(null, null, null, [], null, null, null, null));

        Assert.Equal(CriterionOutcome.Unknown, result.Overall);
        Assert.All(result.Criteria, c => Assert.Equal(CriterionOutcome.Unknown, c.Outcome));
        Assert.All(result.Criteria, c => Assert.Matches("缺少|数据不全", c.Detail));
    }

    // Registration: more than 365 days, counted in days.

    [Theory]
    [InlineData("2025-06-01", 365, CriterionOutcome.Fail)]
    [InlineData("2025-05-31", 366, CriterionOutcome.Pass)]
    [InlineData("2026-06-01", 0, CriterionOutcome.Fail)]
    [InlineData("2026-07-01", -30, CriterionOutcome.Fail)]
    public void Registration_must_be_more_than_365_days_before_the_application(string established, int days, CriterionOutcome expected)
    {
        var result = Evaluate(PassingFirm() with { EstablishedOn = DateOnly.Parse(established, System.Globalization.CultureInfo.InvariantCulture) });

        var c = result[RegisteredOverOneYear];
        Assert.Equal(expected, c.Outcome);
        Assert.Equal(days, c.Figures["daysRegistered"]);
        Assert.Contains($"{days} 天", c.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_calendar_year_spanning_29_February_is_366_days_and_passes()
    {
        var result = HnteCheck.Evaluate(PassingFirm() with { EstablishedOn = new DateOnly(2023, 3, 1) }, new DateOnly(2024, 3, 1));

        Assert.Equal(CriterionOutcome.Pass, result[RegisteredOverOneYear].Outcome);
        Assert.Equal(366m, result[RegisteredOverOneYear].Figures["daysRegistered"]);
    }

    [Fact]
    public void Registration_without_a_founding_date_is_unknown()
    {
        var c = Evaluate(PassingFirm() with { EstablishedOn = null })[RegisteredOverOneYear];

        Assert.Equal(CriterionOutcome.Unknown, c.Outcome);
        Assert.Equal("缺少成立日期", c.Detail);
    }

    // R&D staff ≥ 10 %.

    [Theory]
    [InlineData(100, 10, CriterionOutcome.Pass)]
    [InlineData(100, 9, CriterionOutcome.Fail)]
    [InlineData(10, 1, CriterionOutcome.Pass)]
    [InlineData(11, 1, CriterionOutcome.Fail)]
    [InlineData(0, 0, CriterionOutcome.Fail)]
    public void Rd_staff_must_be_at_least_ten_percent_of_headcount(int headcount, int rd, CriterionOutcome expected)
    {
        var c = Evaluate(PassingFirm() with { Headcount = headcount, RdHeadcount = rd })[RdStaffRatio];

        Assert.Equal(expected, c.Outcome);
        Assert.Equal(headcount, c.Figures["headcount"]);
        Assert.Equal(rd, c.Figures["rdHeadcount"]);
        Assert.Equal(0.10m, c.Figures["requiredRatio"]);
    }

    [Fact]
    public void Rd_staff_ratio_is_reported_with_its_figures()
    {
        var c = Evaluate(PassingFirm() with { Headcount = 80, RdHeadcount = 9 })[RdStaffRatio];

        Assert.Equal(0.1125m, c.Figures["ratio"]);
        Assert.Equal("科技人员 9 人 / 职工总数 80 人 = 11.25%（须不低于 10%）", c.Detail);
    }

    [Theory]
    [InlineData(null, 5, "缺少职工总数")]
    [InlineData(50, null, "缺少科技人员数")]
    [InlineData(null, null, "缺少职工总数、科技人员数")]
    public void Rd_staff_with_missing_counts_is_unknown(int? headcount, int? rd, string detail)
    {
        var c = Evaluate(PassingFirm() with { Headcount = headcount, RdHeadcount = rd })[RdStaffRatio];

        Assert.Equal(CriterionOutcome.Unknown, c.Outcome);
        Assert.Equal(detail, c.Detail);
    }

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

    // Core IP, tech field, innovation score.

    [Theory]
    [InlineData(1, 0, CriterionOutcome.Pass)]
    [InlineData(0, 1, CriterionOutcome.Pass)]
    [InlineData(null, 3, CriterionOutcome.Pass)]
    [InlineData(2, null, CriterionOutcome.Pass)]
    [InlineData(0, 0, CriterionOutcome.Fail)]
    [InlineData(0, null, CriterionOutcome.Unknown)]
    [InlineData(null, 0, CriterionOutcome.Unknown)]
    [InlineData(null, null, CriterionOutcome.Unknown)]
    public void Core_ip_needs_an_invention_patent_or_other_core_ip(int? patents, int? coreIp, CriterionOutcome expected)
    {
        var c = Evaluate(PassingFirm() with { InventionPatents = patents, CoreIpCount = coreIp })[CoreIp];

        Assert.Equal(expected, c.Outcome);
        Assert.Equal(patents, c.Figures["inventionPatents"]);
        Assert.Equal(coreIp, c.Figures["coreIpCount"]);
    }

    [Theory]
    [InlineData("电子信息", CriterionOutcome.Pass)]
    [InlineData("先进制造与自动化", CriterionOutcome.Pass)]
    [InlineData(" 新材料 ", CriterionOutcome.Pass)]
    [InlineData("人工智能", CriterionOutcome.Fail)]
    [InlineData("", CriterionOutcome.Unknown)]
    [InlineData(null, CriterionOutcome.Unknown)]
    public void The_tech_field_must_be_one_of_the_eight(string? field, CriterionOutcome expected)
    {
        Assert.Equal(expected, Evaluate(PassingFirm() with { TechField = field })[TechField].Outcome);
    }

    [Fact]
    public void There_are_eight_tech_fields_and_each_passes()
    {
        Assert.Equal(8, HnteCheck.TechFields.Count);
        Assert.All(HnteCheck.TechFields, f =>
            Assert.Equal(CriterionOutcome.Pass, Evaluate(PassingFirm() with { TechField = f })[TechField].Outcome));
    }

    [Theory]
    [InlineData(71, CriterionOutcome.Pass)]
    [InlineData(70, CriterionOutcome.Fail)]
    [InlineData(0, CriterionOutcome.Fail)]
    [InlineData(null, CriterionOutcome.Unknown)]
    public void The_innovation_score_must_be_above_seventy(int? score, CriterionOutcome expected)
    {
        var c = Evaluate(PassingFirm() with { InnovationScore = score })[InnovationScore];

        Assert.Equal(expected, c.Outcome);
        Assert.Equal(score, c.Figures["score"]);
    }

    [Fact]
    public void Asking_for_an_unknown_criterion_throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Evaluate(PassingFirm())["nope"]);
    }
}
