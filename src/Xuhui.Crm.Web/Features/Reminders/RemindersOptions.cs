namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>Settings under "Crm:Reminders".</summary>
public sealed class RemindersOptions
{
    public const string Section = "Crm:Reminders";

    /// <summary>Shanghai time of the daily digest (HH:mm); the job fires every day and skips non-working days.</summary>
    public string DigestTime { get; set; } = "08:30";

    /// <summary>Tasks overdue by more than this many days also go to the assignee's supervisor.</summary>
    public int EscalationDays { get; set; } = 7;

    /// <summary>Lead-day marks for users without a subscription of their own.</summary>
    public List<int> DefaultLeadDays { get; set; } = [180, 90, 30];

    /// <summary>Days in one stage after which an open case counts as stalled, per programme code.</summary>
    public Dictionary<string, int> StalledDays { get; set; } = new()
    {
        ["hnte"] = 120,
        ["little-giant"] = 180,
        ["foreign-rd-center"] = 180,
        ["pre-ipo"] = 180,
    };

    public int DefaultStalledDays { get; set; } = 180;

    /// <summary>Planned visits this many days ahead are listed with an .ics invitation.</summary>
    public int UpcomingVisitDays { get; set; } = 3;

    /// <summary>A digest lists at most this many items per section and links to the full list for the rest: a 300-line email gets skimmed, not read.</summary>
    public int DigestMaxItemsPerSection { get; set; } = 30;

    /// <summary>Base address for links in the digest.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5080";

    public TimeOnly DigestTimeOfDay => TimeOnly.ParseExact(DigestTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public int StalledThreshold(string program) => StalledDays.TryGetValue(program, out var days) ? days : DefaultStalledDays;
}
