namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>Which reminders a user receives, in the spirit of Data Hub's per-adviser settings.</summary>
public sealed class ReminderSubscription
{
    public long UserId { get; set; }

    /// <summary>Kinds received; the default is all of them.</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Lead-day marks for certificates and little-giant periods (at most 5, like Data Hub).</summary>
    public List<int> LeadDays { get; set; } = [];

    public bool EmailEnabled { get; set; } = true;
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A user's dismissal or snooze of one reminder, by its key.</summary>
public sealed class ReminderState
{
    public long Id { get; set; }
    public long UserId { get; set; }

    /// <summary>The reminder key, e.g. "task-overdue:42"; keys carry the dates they depend on, so a dismissal lapses when the facts change.</summary>
    public string Key { get; set; } = string.Empty;

    public DateTime? DismissedAt { get; set; }

    /// <summary>Hidden until this Shanghai date (exclusive): shown again on it.</summary>
    public DateOnly? SnoozedUntil { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>One reminder for one user.</summary>
/// <param name="Days">Days overdue, days left, or days since, depending on the kind.</param>
/// <param name="Announce">For lead-day kinds: true when a mark was reached since the last digest or the last stretch is running; the digest lists only these.</param>
public sealed record ReminderItem(
    string Key,
    string Kind,
    string Title,
    string Detail,
    string Link,
    long? FirmId,
    DateOnly? On,
    int? Days,
    long? AboutUserId = null,
    long? VisitId = null,
    bool Announce = true);
