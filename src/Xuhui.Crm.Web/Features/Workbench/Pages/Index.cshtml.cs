using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Workbench.Pages;

/// <summary>我的工作台: what the signed-in officer should do today.</summary>
public sealed class IndexModel(
    CrmDbContext db, TimeProvider clock, IOptions<CrmOptions> options, ReferenceData reference, ReminderEngine reminders, IOptions<RemindersOptions> reminderOptions, UiText t)
    : PageModel
{
    private ReminderServices ReminderServices => new(db, clock, reminders, reminderOptions);

    public const int CertificateHorizonDays = 180;

    public sealed record TaskRow(long Id, int Version, string Title, DateOnly DueOn, long FirmId, string FirmName);

    public sealed record FirmRow(long Id, string Name, FirmTier Tier, DateOnly? LastVisitOn, DateOnly DueOn);

    public sealed record CertificateRow(long CaseId, long FirmId, string FirmName, string Program, string? Number, DateOnly ExpiresOn);

    public DateOnly Today { get; private set; }
    public List<TaskRow> Overdue { get; private set; } = [];
    public List<TaskRow> DueSoon { get; private set; } = [];
    public List<FirmRow> PastCadence { get; private set; } = [];
    public List<CertificateRow> Expiring { get; private set; } = [];
    public ProgramCatalog Programs => reference.Programs;

    /// <summary>The same list as GET /api/reminders (optionally one kind: the digest's "more" links land here).</summary>
    public List<ReminderItem> Reminders { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    /// <summary>
    /// Reminders rendered: each carries three small forms, so an officer with thousands (13,000 in the 50k benchmark) would
    /// get megabytes of HTML. The overview shows the first of each kind; one kind's list shows more; the rest are counted.
    /// </summary>
    public const int RemindersPerKind = 20;

    public const int RemindersOfOneKind = 200;

    public List<ReminderItem> ShownReminders { get; private set; } = [];

    /// <summary>Per kind, how many reminders are not rendered.</summary>
    public List<(string Kind, int Hidden)> HiddenReminders { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var list = await ReminderQueries.ListAsync(Kind is { Length: > 0 } k && ReminderKinds.IsKnown(k) ? k : null, User, ReminderServices, ct);
        Reminders = list.Value?.Items ?? [];
        if (Kind is { Length: > 0 } && !ReminderKinds.IsKnown(Kind))
        {
            Kind = null;
        }

        var cap = Kind is null ? RemindersPerKind : RemindersOfOneKind;
        var byKind = Reminders.GroupBy(r => r.Kind).ToList();
        ShownReminders = byKind.SelectMany(g => g.Take(cap)).ToList();
        HiddenReminders = byKind.Where(g => g.Count() > cap).Select(g => (g.Key, g.Count() - cap)).ToList();

        var me = User.UserId();
        Today = ShanghaiTime.Today(clock);
        var horizon = Today.AddDays(7);
        var tasks = await db.Tasks.AsNoTracking()
            .Where(x => x.AssigneeId == me && x.Status == FollowUpStatus.Open && x.DueOn <= horizon)
            .OrderBy(x => x.DueOn).ThenBy(x => x.Id).Take(200)
            .Join(db.Firms, x => x.FirmId, f => f.Id, (x, f) => new TaskRow(x.Id, x.Version, x.Title, x.DueOn, f.Id, f.Name))
            .ToListAsync(ct);
        Overdue = tasks.Where(x => x.DueOn < Today).ToList();
        DueSoon = tasks.Where(x => x.DueOn >= Today).ToList();

        var cadence = options.Value.Cadence;
        var keyCut = Today.AddDays(-cadence.KeyDays);
        var regularCut = Today.AddDays(-cadence.RegularDays);
        var firms = await db.Firms.AsNoTracking()
            .Where(f => !f.IsArchived && (f.Status == FirmStatus.Active || f.Status == FirmStatus.MovedIn))
            .Where(f => f.LeadOfficerId == me || db.FirmOfficers.Any(o => o.FirmId == f.Id && o.UserId == me))
            .Where(f => (f.Tier == FirmTier.Key && (f.LastVisitOn ?? f.AssignedOn) < keyCut)
                || (f.Tier == FirmTier.Regular && (f.LastVisitOn ?? f.AssignedOn) < regularCut))
            .OrderBy(f => f.LastVisitOn ?? f.AssignedOn).Take(50)
            .ToListAsync(ct);
        PastCadence = firms.Select(f => new FirmRow(f.Id, f.Name, f.Tier, f.LastVisitOn, FirmDto.NextVisitDue(f, cadence)!.Value)).ToList();

        var until = Today.AddDays(CertificateHorizonDays);
        var manager = User.IsManager();
        Expiring = await db.Cases.AsNoTracking()
            .Where(c => c.CertificateExpiresOn >= Today && c.CertificateExpiresOn <= until)
            .Where(c => manager || c.OwnerId == me || c.Firm!.LeadOfficerId == me)
            .OrderBy(c => c.CertificateExpiresOn).Take(50)
            .Select(c => new CertificateRow(c.Id, c.FirmId, c.Firm!.Name, c.Program, c.CertificateNumber, c.CertificateExpiresOn!.Value))
            .ToListAsync(ct);
    }

    /// <summary>Dismisses a reminder through the same use case as POST /api/reminders/{key}/dismiss.</summary>
    public async Task<IActionResult> OnPostDismissAsync(string key, string? title, CancellationToken ct)
    {
        var outcome = await DismissReminder.HandleAsync(new(key), User, ReminderServices, ct);
        return Answer(outcome, _ => t.Format("已忽略：{0}", title));
    }

    /// <summary>Snoozes a reminder for some days through the same use case as POST /api/reminders/{key}/snooze.</summary>
    public async Task<IActionResult> OnPostSnoozeAsync(string key, int days, string? title, CancellationToken ct)
    {
        var outcome = await SnoozeReminder.HandleAsync(new(key, new SnoozeRequest(null, days)), User, ReminderServices, ct);
        return Answer(outcome, state => t.Format("{0} 将于 {1} 再次提醒", title, t.Date(state.SnoozedUntil)));
    }

    /// <summary>Completes a follow-up through the same rules as POST /api/tasks/{id}/complete.</summary>
    public async Task<IActionResult> OnPostCompleteAsync(long id, int? version, CancellationToken ct)
    {
        var outcome = await CompleteTask.HandleAsync(new(id, version, null, null), User, new TaskServices(db, clock), ct);
        return Answer(outcome, task => t.Format("已完成：{0}", task.Title));
    }

    /// <summary>JSON for the in-place forms (site.js), a redirect with a flash message without script.</summary>
    private IActionResult Answer<T>(Outcome<T> outcome, Func<T, string> done)
    {
        var ok = outcome.IsOk;
        var message = ok ? done(outcome.Value!) : FailureText(outcome);
        if (Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal))
        {
            return new JsonResult(new { ok, message }) { StatusCode = ok ? 200 : StatusOf(outcome.Kind) };
        }

        TempData[ok ? "Flash" : "Error"] = message;
        return RedirectToPage(new { kind = Kind });
    }

    /// <summary>The first field error of an invalid request, else the problem's message.</summary>
    private static string? FailureText<T>(Outcome<T> outcome) =>
        outcome.Errors?.ToDictionary().SelectMany(e => e.Value).FirstOrDefault() ?? outcome.Message;

    private static int StatusOf(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Invalid => StatusCodes.Status400BadRequest,
        OutcomeKind.NotFound => StatusCodes.Status404NotFound,
        OutcomeKind.Forbidden => StatusCodes.Status403Forbidden,
        OutcomeKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };
}
