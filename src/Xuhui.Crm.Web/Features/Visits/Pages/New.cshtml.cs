using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Visits;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Visits.Pages;

/// <summary>Log a visit: one form, handled by the same use case as POST /api/visits.</summary>
[Authorize(Policy = Policies.Writer)]
public sealed class NewModel(CrmDbContext db, TimeProvider clock, IOptions<CrmOptions> options, FirmSearch search, UiText t, ReferenceData reference) : PageModel
{
    [WritesTo(typeof(Domain.Requests.FirmRequest))]
    public sealed class RaisedRequestForm
    {
        public string? Category { get; set; }
        public string? Description { get; set; }
        public string? Department { get; set; }
    }

    public ReferenceData Reference => reference;

    [WritesTo(typeof(FollowUpTask))]
    public sealed class FollowUpForm
    {
        public string? Title { get; set; }
        public DateOnly? DueOn { get; set; }
        public long? AssigneeId { get; set; }
    }

    [WritesTo(typeof(Visit))]
    public sealed class VisitForm
    {
        public long? FirmId { get; set; }
        public long? CaseId { get; set; }
        public DateOnly? On { get; set; }
        public VisitKind Kind { get; set; } = VisitKind.OnSite;
        public List<long> OfficerIds { get; set; } = [];
        public List<long> ContactIds { get; set; } = [];
        public string? Summary { get; set; }
        public string? Requests { get; set; }
        public List<FollowUpForm> FollowUps { get; set; } = [];
        public List<RaisedRequestForm> RaisedRequests { get; set; } = [];
    }

    [BindProperty]
    public VisitForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public string? FirmName { get; private set; }
    public List<ContactDto> Contacts { get; private set; } = [];
    public List<OfficerDto> Colleagues { get; private set; } = [];
    public List<FirmDto> Matches { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long? firmId, long? caseId, CancellationToken ct)
    {
        var today = ShanghaiTime.Today(clock);
        Form = new VisitForm { FirmId = firmId, CaseId = caseId, On = today };
        Form.FollowUps = [new FollowUpForm { DueOn = today.AddDays(7) }, new FollowUpForm { DueOn = today.AddDays(14) }];
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var followUps = Form.FollowUps.Where(f => !string.IsNullOrWhiteSpace(f.Title))
            .Select(f => new FollowUpRequest(f.Title, f.DueOn, f.AssigneeId, Form.CaseId, null)).ToList();
        var raised = Form.RaisedRequests.Where(r => !string.IsNullOrWhiteSpace(r.Category) || !string.IsNullOrWhiteSpace(r.Description))
            .Select(r => new RaisedRequest(r.Category, r.Description, string.IsNullOrWhiteSpace(r.Department) ? null : r.Department, null, null)).ToList();
        var request = new VisitRequest(
            null, Form.FirmId, VisitStatus.Done, Form.Kind, Form.On, null, null, null,
            Form.OfficerIds, Form.ContactIds, Form.Summary, Form.Requests, followUps, raised);
        var outcome = await LogVisit.HandleAsync(new(request), User, new VisitServices(db, reference, clock, options), ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("已记录走访，新建 {0} 项跟进", followUps.Count);
            return Redirect($"/firms/{outcome.Value!.FirmId}");
        }

        outcome.CopyTo(ModelState, nameof(Form));
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Colleagues = (await UserDirectory.OfficersAsync(db, ct)).Where(o => !Roles.IsReadOnly(o.Role)).ToList();
        if (Form.FirmId is not { } firmId)
        {
            if (!string.IsNullOrWhiteSpace(Q))
            {
                Matches = (await search.SearchAsync(new FirmQuery(Q.Trim(), null, null, null, null, null, null, null, null, 1, 10), ct)).Items;
            }

            return true;
        }

        FirmName = await db.Firms.Where(f => f.Id == firmId).Select(f => f.Name).FirstOrDefaultAsync(ct);
        Contacts = (await ContactQueries.ListAsync(db, User, firmId, ct)).Value ?? [];
        while (Form.FollowUps.Count < 2)
        {
            Form.FollowUps.Add(new FollowUpForm());
        }

        while (Form.RaisedRequests.Count < 1)
        {
            Form.RaisedRequests.Add(new RaisedRequestForm());
        }

        return FirmName is not null;
    }
}
