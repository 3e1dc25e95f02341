using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Hnte;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Cases;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Requests;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Features.Visits;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms.Pages;

/// <summary>One firm: profile, HNTE pre-check, contacts (masked by role), cases, visits, tasks and audit trail — read through the firm and contact queries.</summary>
public sealed class DetailsModel(CrmDbContext db, ReferenceData reference, TimeProvider clock, IOptions<CrmOptions> options) : PageModel
{
    public FirmDto Firm { get; private set; } = new();
    public HnteCheckResult? Hnte { get; private set; }
    public List<ContactDto> Contacts { get; private set; } = [];
    public List<CaseDto> Cases { get; private set; } = [];
    public VisitPage Visits { get; private set; } = new([], 0, 1, 20);
    public TaskPage Tasks { get; private set; } = new([], 0, 1, 20);
    public RequestPage Requests { get; private set; } = new([], 0, 1, 20);
    public List<AuditEntryDto> Audit { get; private set; } = [];
    public Dictionary<long, string> People { get; private set; } = [];
    public bool CanEdit { get; private set; }
    public bool SeesContacts { get; private set; }
    public ReferenceData Reference => reference;
    public ProgramCatalog Programs => reference.Programs;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        // A merged firm is not shown here (the API redirects to the survivor).
        if (await FirmQueries.GetAsync(db, id, options.Value.Cadence, ct) is not { } firm)
        {
            return NotFound();
        }

        Firm = firm;
        Hnte = (await FirmQueries.HnteCheckAsync(db, id, null, clock, ct)).Value;
        Contacts = (await ContactQueries.ListAsync(db, User, id, ct)).Value ?? [];
        Cases = (await CaseQueries.ForFirmAsync(id, new CaseServices(db, reference, clock), ct)).Value ?? [];
        Visits = await VisitQueries.ListAsync(new(id, null, null, null, null, 1, 20), db, ct);
        Tasks = await TaskQueries.ListAsync(new(null, null, null, id, null, 1, 50), db, clock, ct);
        Requests = await RequestQueries.ListAsync(new(id, null, null, null, null, null, 1, 50), db, clock, ct);
        Audit = (await FirmQueries.AuditAsync(db, User, id, 30, ct)).Value ?? [];
        People = (await UserDirectory.OfficersAsync(db, ct)).ToDictionary(o => o.Id, o => o.DisplayName);
        CanEdit = await FirmAccess.CanEditAsync(db, User, id, ct);
        SeesContacts = await FirmAccess.CanSeeContactsAsync(db, User, id, ct);
        return Page();
    }

    /// <summary>The audit trail must not reveal what the contact list masks.</summary>
    public string Shown(AuditEntryDto entry, string field, string? value) =>
        !SeesContacts && entry.EntityType == nameof(Domain.Firms.Contact) && field is "Phone" or "Email" or "WeChat" && value is not null ? "***" : value ?? "∅";

    public static string EntityName(string type) => type switch
    {
        "Firm" => "企业",
        "Case" => "案件",
        "Contact" => "联系人",
        "Visit" => "走访",
        "FollowUpTask" => "跟进事项",
        "FirmFinancial" => "财务数据",
        _ => type,
    };

    public static string ActionName(string action) => action switch
    {
        "created" => "新建",
        "updated" => "修改",
        "deleted" => "删除",
        _ => action,
    };

    public string? Department(string? code) => reference.File.Departments?.FirstOrDefault(d => d.Code == code)?.NameZh ?? code;

    public string? Category(string code) => reference.RequestCategory(code)?.NameZh ?? code;

    public string Person(long? id) => id is { } i && People.TryGetValue(i, out var name) ? name : "—";

    public string? Zone(UiText t) => reference.File.Zones.FirstOrDefault(z => z.Code == Firm.Zone) is { } z ? t.Name(z.NameZh, z.NameEn) : Firm.Zone;

    public string? Industry(UiText t) => reference.File.Industries.FirstOrDefault(i => i.Code == Firm.Industry) is { } i ? t.Name(i.NameZh, i.NameEn) : Firm.Industry;
}
