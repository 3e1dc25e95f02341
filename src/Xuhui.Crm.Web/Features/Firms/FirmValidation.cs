using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Hnte;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>Validates a firm as submitted and copies it onto the entity; nothing is copied when anything is wrong.</summary>
public static class FirmValidation
{
    /// <param name="district">
    /// The district whose zones the firm may name: the firm's own in a multi-district deployment, the deployment's otherwise
    /// (see <see cref="ZoneDistrict"/>).
    /// </param>
    public static Errors Validate(FirmDto r, ReferenceData reference, string district)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(r.Name))
        {
            errors.Add("name", Text.T("企业名称必填"));
        }
        else if (r.Name.Trim().Length > 200)
        {
            errors.Add("name", Text.T("企业名称不超过200字"));
        }

        if (string.IsNullOrWhiteSpace(r.CreditCode))
        {
            if (!r.IsProspect)
            {
                errors.Add("creditCode", Text.T("统一社会信用代码必填；尚未设立中国主体的潜在企业请标记 isProspect"));
            }
        }
        else
        {
            var check = CreditCode.Check(r.CreditCode);
            if (!check.IsValid)
            {
                var overridable = check.Error == CreditCodeError.WrongCheckCharacter;
                if (!(overridable && r.CreditCodeOverride))
                {
                    errors.Add("creditCode", CreditCodeText.Describe(check));
                }
                else if (string.IsNullOrWhiteSpace(r.CreditCodeOverrideReason))
                {
                    errors.Add("creditCodeOverrideReason", Text.T("使用校验位不符的早期代码须说明理由"));
                }
            }
        }

        if (r.Zone is not null && !reference.IsZone(r.Zone))
        {
            errors.Add("zone", Text.F("未知功能区：{0}", r.Zone));
        }
        else if (r.Zone is not null && !reference.IsZoneOf(r.Zone, district))
        {
            var own = reference.ZonesOf(district).Select(z => z.NameZh).ToList();
            errors.Add("zone", own.Count == 0
                ? Text.F("功能区 {0} 不在{1}，该区未设功能区，请留空", r.Zone, reference.DistrictName(district))
                : Text.F("功能区 {0} 不在{1}，应为：{2}", r.Zone, reference.DistrictName(district), string.Join("、", own)));
        }

        if (r.Industry is not null && !reference.IsIndustry(r.Industry))
        {
            errors.Add("industry", Text.F("未知行业：{0}", r.Industry));
        }

        if (r.TechField is not null && !HnteCheck.TechFields.Contains(r.TechField))
        {
            errors.Add("techField", Text.F("技术领域须为八大领域之一：{0}", string.Join("、", HnteCheck.TechFields)));
        }

        NonNegative(errors, "headcount", r.Headcount);
        NonNegative(errors, "rdHeadcount", r.RdHeadcount);
        NonNegative(errors, "inventionPatents", r.InventionPatents);
        NonNegative(errors, "coreIpCount", r.CoreIpCount);
        if (r.RdHeadcount > r.Headcount)
        {
            errors.Add("rdHeadcount", Text.T("研发人员数不能超过职工总数"));
        }

        if (r.InnovationScore is < 0 or > 100)
        {
            errors.Add("innovationScore", Text.T("创新能力评分应在0–100之间"));
        }

        if (r.FormerNames.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("formerNames", Text.T("曾用名不能为空"));
        }

        if (r.Financials is not null)
        {
            var years = new HashSet<int>();
            foreach (var (f, i) in r.Financials.Select((f, i) => (f, i)))
            {
                if (f is null)
                {
                    errors.Add($"financials[{i}]", Text.T("年度数据不能为空"));
                    continue;
                }

                if (f.Year is < 1900 or > 2200 || !years.Add(f.Year))
                {
                    errors.Add($"financials[{i}].year", Text.T("年度无效或重复"));
                }

                foreach (var (name, value) in new[] { ("salesRevenue", f.SalesRevenue), ("totalRevenue", f.TotalRevenue), ("rdExpense", f.RdExpense), ("rdExpenseInChina", f.RdExpenseInChina), ("highTechRevenue", f.HighTechRevenue) })
                {
                    if (value is < 0 or > 1_000_000_000_000_000m)
                    {
                        errors.Add($"financials[{i}].{name}", Text.T("金额超出范围"));
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// Whose zones a firm may name. Several districts: the firm's district (a district user's firm is in their district
    /// whatever the body says). One district: the deployment's, whatever the firm's district field says, so a
    /// single-district deployment accepts exactly the zones it always did.
    /// </summary>
    public static string ZoneDistrict(CrmOptions options, string firmDistrict) => options.MultiDistrict ? firmDistrict : options.District;

    private static void NonNegative(Errors errors, string field, int? value)
    {
        if (value < 0)
        {
            errors.Add(field, Text.T("不能为负数"));
        }
    }

    /// <summary>Copies the editable members; status, officers, financials and the district (the server's) are applied by the caller.</summary>
    public static void Apply(FirmDto r, Firm firm)
    {
        firm.Name = r.Name.Trim();
        var formerNames = r.FormerNames.Select(n => n.Trim()).Distinct().ToList();
        if (!formerNames.SequenceEqual(firm.FormerNames))
        {
            firm.FormerNames = formerNames;
        }

        firm.EnglishName = Blank(r.EnglishName);
        firm.CreditCode = string.IsNullOrWhiteSpace(r.CreditCode) ? null : CreditCode.Normalize(r.CreditCode);
        var check = firm.CreditCode is null ? null : CreditCode.Check(firm.CreditCode);
        firm.CreditCodeOverride = check is { IsValid: false };
        firm.CreditCodeOverrideReason = firm.CreditCodeOverride ? r.CreditCodeOverrideReason?.Trim() : null;
        firm.IsProspect = r.IsProspect;
        firm.Address = Blank(r.Address);
        firm.Zone = r.Zone;
        firm.Industry = r.Industry;
        firm.Ownership = r.Ownership;
        firm.EstablishedOn = r.EstablishedOn;
        firm.Headcount = r.Headcount;
        firm.RdHeadcount = r.RdHeadcount;
        firm.InventionPatents = r.InventionPatents;
        firm.CoreIpCount = r.CoreIpCount;
        firm.TechField = r.TechField;
        firm.InnovationScore = r.InnovationScore;
        firm.Tier = r.Tier;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
