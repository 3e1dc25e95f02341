using System.Globalization;
using System.Text.RegularExpressions;

namespace Xuhui.Crm.Domain.Targets;

/// <summary>A calendar month in Shanghai business dates.</summary>
public readonly record struct ReportMonth(int Year, int Month)
{
    public DateOnly First => new(Year, Month, 1);

    public DateOnly Last => First.AddMonths(1).AddDays(-1);

    public ReportMonth Previous => FromDate(First.AddDays(-1));

    public override string ToString() => $"{Year:D4}-{Month:D2}";

    public static ReportMonth FromDate(DateOnly date) => new(date.Year, date.Month);

    public static bool TryParse(string? text, out ReportMonth month)
    {
        month = default;
        if (text is null || !DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return false;
        }

        month = FromDate(first);
        return true;
    }
}

/// <summary>Periods of entered indicator values: a year ("2025"), a quarter ("2025-Q2") or a month ("2025-06").</summary>
public static partial class IndicatorPeriod
{
    /// <summary>The last day of the period, or null when the text is not a period.</summary>
    public static DateOnly? EndOf(string? period)
    {
        if (period is null)
        {
            return null;
        }

        var m = Pattern().Match(period);
        if (!m.Success)
        {
            return null;
        }

        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (year is < 2000 or > 2100)
        {
            return null;
        }

        if (m.Groups["q"].Success)
        {
            var q = int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture);
            return new DateOnly(year, q * 3, 1).AddMonths(1).AddDays(-1);
        }

        if (m.Groups["m"].Success)
        {
            var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            return month is < 1 or > 12 ? null : new DateOnly(year, month, 1).AddMonths(1).AddDays(-1);
        }

        return new DateOnly(year, 12, 31);
    }

    [GeneratedRegex(@"^(?<y>\d{4})(?:-Q(?<q>[1-4])|-(?<m>\d{2}))?$")]
    private static partial Regex Pattern();
}
