namespace Xuhui.Crm.Domain.Hnte;

/// <summary>The criteria on the firm itself: registration, staff, intellectual property, field and score.</summary>
public static partial class HnteCheck
{
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
}
