using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Calendar;

/// <summary>Chinese working days: Monday–Friday, less the holidays, plus the make-up days, as kept in <see cref="CalendarDay"/>.</summary>
public sealed class WorkingDayCalendar(CrmDbContext db)
{
    public static bool IsWorkingDay(DateOnly date, CalendarDayKind? exception) => exception switch
    {
        CalendarDayKind.Holiday => false,
        CalendarDayKind.Workday => true,
        _ => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday),
    };

    public async Task<bool> IsWorkingDayAsync(DateOnly date, CancellationToken ct)
    {
        var exception = await db.CalendarDays.AsNoTracking().Where(d => d.Date == date).Select(d => (CalendarDayKind?)d.Kind).FirstOrDefaultAsync(ct);
        return IsWorkingDay(date, exception);
    }

    /// <summary>The last working day before <paramref name="date"/> (within 40 days; a longer break cannot happen).</summary>
    public async Task<DateOnly> PreviousWorkingDayAsync(DateOnly date, CancellationToken ct)
    {
        var from = date.AddDays(-40);
        var exceptions = await db.CalendarDays.AsNoTracking().Where(d => d.Date >= from && d.Date < date).ToDictionaryAsync(d => d.Date, d => d.Kind, ct);
        for (var d = date.AddDays(-1); d >= from; d = d.AddDays(-1))
        {
            if (IsWorkingDay(d, exceptions.TryGetValue(d, out var k) ? k : null))
            {
                return d;
            }
        }

        return date.AddDays(-1);
    }
}

public sealed record HolidayRange(DateOnly From, DateOnly To, string Name);

public sealed record MakeUpDay(DateOnly Date, string Name);

public sealed record WorkingDaysFile(int Year, string Source, List<HolidayRange> Holidays, List<MakeUpDay> Workdays);

/// <summary>Loads seed/reference/working-days-YYYY.json for each year that has no calendar entry yet, so admin edits are never overwritten.</summary>
public static class CalendarSeeder
{
    public static async Task<int> SeedAsync(CrmDbContext db, string seedDirectory, CancellationToken ct)
    {
        var folder = Path.Combine(seedDirectory, "reference");
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var added = 0;
        foreach (var path in Directory.GetFiles(folder, "working-days-*.json").Order())
        {
            var file = JsonSerializer.Deserialize<WorkingDaysFile>(await File.ReadAllTextAsync(path, ct), JsonSerializerOptions.Web)
                ?? throw new InvalidDataException($"{path} is empty");
            var start = new DateOnly(file.Year, 1, 1);
            var end = new DateOnly(file.Year, 12, 31);
            if (await db.CalendarDays.AnyAsync(d => d.Date >= start && d.Date <= end, ct))
            {
                continue;
            }

            foreach (var h in file.Holidays)
            {
                for (var d = h.From; d <= h.To; d = d.AddDays(1))
                {
                    db.CalendarDays.Add(new CalendarDay { Date = d, Kind = CalendarDayKind.Holiday, Name = h.Name });
                    added++;
                }
            }

            foreach (var w in file.Workdays)
            {
                db.CalendarDays.Add(new CalendarDay { Date = w.Date, Kind = CalendarDayKind.Workday, Name = w.Name });
                added++;
            }

            await db.SaveChangesAsync(ct);
        }

        return added;
    }
}
