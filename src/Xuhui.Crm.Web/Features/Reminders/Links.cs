using System.Globalization;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>
/// Where a reminder points, always an existing page: follow-ups, visits and requests have no page of their own, so
/// they open the firm page at their entry (the anchors are set in Pages/Firms/_Activity.cshtml).
/// </summary>
public static class Links
{
    public static string Firm(long firmId) => string.Create(CultureInfo.InvariantCulture, $"/firms/{firmId}");

    public static string Case(long caseId) => string.Create(CultureInfo.InvariantCulture, $"/cases/{caseId}");

    public static string Task(long firmId, long taskId) => string.Create(CultureInfo.InvariantCulture, $"/firms/{firmId}#task-{taskId}");

    public static string Visit(long firmId, long visitId) => string.Create(CultureInfo.InvariantCulture, $"/firms/{firmId}#visit-{visitId}");

    public static string Request(long firmId, long requestId) => string.Create(CultureInfo.InvariantCulture, $"/firms/{firmId}#request-{requestId}");

    /// <summary>The "My day" page with the reminders of one kind.</summary>
    public static string Reminders(string kind) => $"/?kind={Uri.EscapeDataString(kind)}#h-reminders";

    public static string Settings => "/settings/reminders";

    /// <summary>The admin jobs page: the nightly backup's last result and "run now".</summary>
    public static string AdminJobs => "/admin/jobs";
}
