using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>The messages several targets use cases and queries give, written once.</summary>
internal static class TargetText
{
    public static string IndicatorNotFound(string code) => Text.F("指标 {0} 不存在", code);

    public static string SourceRequired => Text.T("必须注明数据来源");

    public static string NameTheDistrict => Text.T("请用 ?district= 指明录入哪个区的数据");

    public static string NameTheDistrictOrCity => Text.T("请用 ?district= 指明录入哪个区（或全市 310000）的数据");

    public static string NameTheTargetDistrict => Text.T("请用 ?district= 指明哪个区（或全市 310000）的目标");

    public static string YearBetween(int from, int to) => Text.F("年份应在 {0}–{1} 之间", from, to);
}
