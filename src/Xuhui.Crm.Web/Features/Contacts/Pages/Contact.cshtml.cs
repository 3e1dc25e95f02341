using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Contacts.Pages;

/// <summary>
/// Adds or edits a firm's contact through the contact use cases (as the /api contacts routes do). Only those who may edit the firm get here, and
/// they are exactly those who see contact details in full, so the form never carries details a role may not see.
/// </summary>
[Authorize(Policy = Policies.Writer)]
public sealed class ContactModel(CrmDbContext db, DataPaths paths, UiText t) : PageModel
{
    [WritesTo(typeof(Domain.Firms.Contact))]
    public sealed class ContactForm
    {
        public string? Name { get; set; }
        public string? Title { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? WeChat { get; set; }
        public int? Version { get; set; }
    }

    [BindProperty] public ContactForm Form { get; set; } = new();

    public string FirmName { get; private set; } = string.Empty;
    public long FirmId { get; private set; }
    public long? ContactId { get; private set; }

    /// <summary>The stored contact when a save was refused as stale (someone else edited it meanwhile).</summary>
    public ContactDto? Current { get; private set; }

    public async Task<IActionResult> OnGetAsync(long firmId, long? contactId, CancellationToken ct)
    {
        if (await GuardAsync(firmId, contactId, ct) is { } refused)
        {
            return refused;
        }

        if (contactId is { } id && (await ContactQueries.GetAsync(db, User, id, ct)).Value is { } c)
        {
            Form = new ContactForm { Name = c.Name, Title = c.Title, Phone = c.Phone, Email = c.Email, WeChat = c.WeChat, Version = c.Version };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long firmId, long? contactId, CancellationToken ct)
    {
        if (await GuardAsync(firmId, contactId, ct) is { } refused)
        {
            return refused;
        }

        var request = new ContactRequest(Form.Version, Form.Name, Form.Title, Form.Phone, Form.Email, Form.WeChat);
        var services = new ContactServices(db, paths);
        var outcome = contactId is { } id
            ? await UpdateContact.HandleAsync(new(id, request), User, services, ct)
            : await CreateContact.HandleAsync(new(firmId, request), User, services, ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("联系人「{0}」已保存", outcome.Value!.Name);
            return Redirect($"/firms/{firmId}#h-contacts");
        }

        return outcome.ToRefusedPage(this, nameof(Form), (ContactDto now) => (Current, Form.Version) = (now, now.Version));
    }

    private async Task<IActionResult?> GuardAsync(long firmId, long? contactId, CancellationToken ct)
    {
        var firm = await db.Firms.AsNoTracking().Where(f => f.Id == firmId).Select(f => new { f.Name }).FirstOrDefaultAsync(ct);
        if (firm is null || (contactId is { } id && !await db.Contacts.AnyAsync(c => c.Id == id && c.FirmId == firmId && !c.IsArchived, ct)))
        {
            return NotFound();
        }

        if (!await FirmAccess.CanEditAsync(db, User, firmId, ct))
        {
            return Forbid();
        }

        (FirmId, FirmName, ContactId) = (firmId, firm.Name, contactId);
        return null;
    }
}
