using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Contacts;

/// <summary>Archives a contact (DELETE /api/contacts/{id}): visits that name it keep their history.</summary>
public static class ArchiveContact
{
    public sealed record Command(long Id);

    public static async Task<Outcome<long>> HandleAsync(Command command, ClaimsPrincipal user, ContactServices s, CancellationToken ct)
    {
        var contact = await s.Db.Contacts.FirstOrDefaultAsync(c => c.Id == command.Id, ct);
        if (contact is null)
        {
            return Outcome.NotFound(Messages.ContactNotFound(command.Id));
        }

        if (!await FirmAccess.CanEditAsync(s.Db, user, contact.FirmId, ct))
        {
            return Outcome.Forbidden(ContactText.NotYourFirm);
        }

        contact.IsArchived = true;
        await s.Db.SaveChangesAsync(ct);
        return Outcome.Ok(contact.Id);
    }
}
