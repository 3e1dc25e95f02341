using Xuhui.Crm.Web.Features.Reminders;

namespace Xuhui.Crm.Web.Tests.Reminders;

public sealed class LeadDayTests
{
    private static readonly DateOnly Expiry = new(2026, 12, 31);
    private static readonly Dictionary<long, int[]> Marks = new() { [1] = [180, 90, 30] };

    [Theory]
    [InlineData("2026-07-04", 180, true)]   // the 180-day mark
    [InlineData("2026-07-05", 179, false)]  // between marks: not in the digest
    [InlineData("2026-10-02", 90, true)]
    [InlineData("2026-12-01", 30, true)]    // last mark
    [InlineData("2026-12-15", 16, true)]    // every digest from the last mark to expiry
    [InlineData("2026-06-01", null, false)] // before the first mark: nothing
    public void Certificates_are_announced_on_each_mark_and_daily_in_the_last_stretch(string today, int? days, bool announced)
    {
        var date = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        var window = new ReminderWindow(date, date.AddDays(-1), DateTime.UnixEpoch, DateTime.UnixEpoch, Digest: true);
        var item = ReminderEngineAccess.LeadDay(window, Marks, 1, Expiry);
        Assert.Equal(announced, item is not null);
        if (announced)
        {
            Assert.Equal(days, item!.Value.Days);
        }
    }

    [Fact]
    public void A_mark_that_falls_on_a_weekend_is_announced_in_the_next_digest()
    {
        // The 90-day mark, 2026-10-02, falls in the National Day holiday; the next digest is on 2026-10-09.
        var window = new ReminderWindow(new DateOnly(2026, 10, 9), new DateOnly(2026, 9, 30), DateTime.UnixEpoch, DateTime.UnixEpoch, Digest: true);
        Assert.NotNull(ReminderEngineAccess.LeadDay(window, Marks, 1, Expiry));
    }

    [Fact]
    public void Ics_lines_fold_at_75_octets_without_splitting_chinese_characters()
    {
        var sb = new System.Text.StringBuilder();
        Ics.Fold(sb, "SUMMARY:" + string.Concat(Enumerable.Repeat("徐汇区企业服务走访", 10)));
        var lines = sb.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 1);
        Assert.All(lines, l => Assert.True(System.Text.Encoding.UTF8.GetByteCount(l) <= 75));
        Assert.Equal("SUMMARY:" + string.Concat(Enumerable.Repeat("徐汇区企业服务走访", 10)), string.Concat(lines.Select((l, i) => i == 0 ? l : l[1..])));
    }
}

internal static class ReminderEngineAccess
{
    public static (int Days, bool Announce)? LeadDay(ReminderWindow w, Dictionary<long, int[]> marks, long userId, DateOnly end) =>
        ReminderEngine.LeadDayItem(w, marks, userId, end);
}
