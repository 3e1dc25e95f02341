using System.Globalization;

namespace Xuhui.Crm.Domain.Hnte;

/// <summary>Formatting of the details and construction of the results.</summary>
public static partial class HnteCheck
{
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
