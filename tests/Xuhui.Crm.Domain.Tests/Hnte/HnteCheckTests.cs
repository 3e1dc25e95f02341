using Xuhui.Crm.Domain.Hnte;
using static Xuhui.Crm.Domain.Hnte.HnteCriterionCodes;

namespace Xuhui.Crm.Domain.Tests.Hnte;

/// <summary>The overall outcome and the fixture; each criterion's tests are in a partial of their own.</summary>
public sealed partial class HnteCheckTests
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

    [Fact]
    public void Asking_for_an_unknown_criterion_throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Evaluate(PassingFirm())["nope"]);
    }
}
