using Xuhui.Crm.Domain.Time;

namespace Xuhui.Crm.Domain.Tests.Time;

/// <summary>Shanghai is UTC+8 all year (no daylight saving), whatever the machine's own zone is.</summary>
public sealed class ShanghaiTimeTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s = 0) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    [Fact]
    public void Fifteen_fifty_nine_utc_on_31_March_is_still_31_March_in_Shanghai()
    {
        Assert.Equal(new DateOnly(2026, 3, 31), ShanghaiTime.ToDate(Utc(2026, 3, 31, 15, 59)));
    }

    [Fact]
    public void Sixteen_oh_one_utc_on_31_March_is_already_1_April_in_Shanghai()
    {
        Assert.Equal(new DateOnly(2026, 4, 1), ShanghaiTime.ToDate(Utc(2026, 3, 31, 16, 1)));
    }

    [Theory]
    [InlineData(2026, 1, 31, 2026, 2, 1)]
    [InlineData(2026, 2, 28, 2026, 3, 1)]
    [InlineData(2024, 2, 29, 2024, 3, 1)]
    [InlineData(2026, 4, 30, 2026, 5, 1)]
    [InlineData(2026, 12, 31, 2027, 1, 1)]
    public void Month_ends_turn_over_at_sixteen_hundred_utc(int y, int m, int d, int ny, int nm, int nd)
    {
        Assert.Equal(new DateOnly(y, m, d), ShanghaiTime.ToDate(Utc(y, m, d, 15, 59, 59)));
        Assert.Equal(new DateOnly(ny, nm, nd), ShanghaiTime.ToDate(Utc(y, m, d, 16, 0)));
    }

    [Fact]
    public void Unspecified_kind_is_treated_as_utc()
    {
        Assert.Equal(new DateOnly(2026, 4, 1), ShanghaiTime.ToDate(new DateTime(2026, 3, 31, 16, 1, 0, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void An_offset_instant_converts_by_its_utc_value()
    {
        var instant = new DateTimeOffset(2026, 3, 31, 11, 1, 0, TimeSpan.FromHours(-5)); // 16:01Z
        Assert.Equal(new DateOnly(2026, 4, 1), ShanghaiTime.ToDate(instant));
    }

    [Fact]
    public void Today_reads_the_clock_in_Shanghai()
    {
        Assert.Equal(new DateOnly(2026, 4, 1), ShanghaiTime.Today(new FixedClock(Utc(2026, 3, 31, 16, 1))));
        Assert.Equal(new DateOnly(2026, 3, 31), ShanghaiTime.Today(new FixedClock(Utc(2026, 3, 31, 15, 59))));
    }

    [Fact]
    public void A_Shanghai_day_starts_at_sixteen_hundred_utc_the_day_before()
    {
        var start = ShanghaiTime.StartOfDayUtc(new DateOnly(2026, 4, 1));

        Assert.Equal(Utc(2026, 3, 31, 16, 0), start);
        Assert.Equal(DateTimeKind.Utc, start.Kind);
    }

    [Fact]
    public void A_Shanghai_date_and_time_converts_to_utc_eight_hours_earlier()
    {
        Assert.Equal(Utc(2026, 5, 31, 1, 30), ShanghaiTime.ToUtc(new DateOnly(2026, 5, 31), new TimeOnly(9, 30)));
    }

    [Fact]
    public void Utc_converts_to_Shanghai_wall_clock_time()
    {
        Assert.Equal(new DateTime(2026, 4, 1, 0, 1, 0), ShanghaiTime.ToLocal(Utc(2026, 3, 31, 16, 1)));
    }

    [Fact]
    public void Converting_a_date_to_its_start_and_back_gives_the_same_date_all_year()
    {
        for (var d = new DateOnly(2026, 1, 1); d.Year == 2026; d = d.AddDays(1))
        {
            Assert.Equal(d, ShanghaiTime.ToDate(ShanghaiTime.StartOfDayUtc(d)));
            Assert.Equal(d.AddDays(-1), ShanghaiTime.ToDate(ShanghaiTime.StartOfDayUtc(d).AddTicks(-1)));
        }
    }

    private sealed class FixedClock(DateTime utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utc, TimeSpan.Zero);
    }
}
