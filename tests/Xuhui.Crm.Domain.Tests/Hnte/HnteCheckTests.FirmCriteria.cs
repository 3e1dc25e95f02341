using Xuhui.Crm.Domain.Hnte;
using static Xuhui.Crm.Domain.Hnte.HnteCriterionCodes;

namespace Xuhui.Crm.Domain.Tests.Hnte;

public sealed partial class HnteCheckTests
{
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
}
