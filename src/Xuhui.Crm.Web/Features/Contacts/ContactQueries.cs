using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Contacts;

/// <summary>
/// The contact reads the API, the firm page and the visit form share: masked unless the caller may see the firm's
/// contacts in full, and a full view is recorded in the access log.
/// </summary>
public static class ContactQueries
{
    public static async Task<Outcome<List<ContactDto>>> ListAsync(CrmDbContext db, ClaimsPrincipal user, long firmId, CancellationToken ct)
    {
        if (!await db.Firms.AnyAsync(f => f.Id == firmId, ct))
        {
            return Outcome.NotFound(Messages.FirmNotFound(firmId));
        }

        var full = await FirmAccess.CanSeeContactsAsync(db, user, firmId, ct);
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.FirmId == firmId && !c.IsArchived).OrderBy(c => c.Id).ToListAsync(ct);
        if (full)
        {
            await ContactAccessLog.RecordAsync(db, user, firmId, contacts.Select(c => c.Id), "GET /api/firms/{firmId}/contacts", ct);
        }

        return Outcome.Ok(contacts.Select(c => ContactDto.From(c, full)).ToList());
    }

    public static async Task<Outcome<ContactDto>> GetAsync(CrmDbContext db, ClaimsPrincipal user, long id, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Outcome.NotFound(Messages.ContactNotFound(id));
        }

        var full = await FirmAccess.CanSeeContactsAsync(db, user, contact.FirmId, ct);
        if (full)
        {
            await ContactAccessLog.RecordAsync(db, user, contact.FirmId, [contact.Id], "GET /api/contacts/{id}", ct);
        }

        return Outcome.Ok(ContactDto.From(contact, full));
    }
}
