using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Contacts;

/// <summary>Adds a contact to a firm (POST /api/firms/{firmId}/contacts and the contact page).</summary>
public static class CreateContact
{
    public sealed record Command(long FirmId, ContactRequest Input);

    public static async Task<Outcome<ContactDto>> HandleAsync(Command command, ClaimsPrincipal user, ContactServices s, CancellationToken ct)
    {
        var (db, firmId) = (s.Db, command.FirmId);
        if (!await db.Firms.AnyAsync(f => f.Id == firmId, ct))
        {
            return Outcome.NotFound(Messages.FirmNotFound(firmId));
        }

        if (!await FirmAccess.CanEditAsync(db, user, firmId, ct))
        {
            return Outcome.Forbidden(ContactText.NotYourFirm);
        }

        var errors = ContactRules.Validate(command.Input);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var contact = new Contact { FirmId = firmId };
        command.Input.ApplyTo(contact);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        return Outcome.Created($"/api/contacts/{contact.Id}", ContactDto.From(contact, true));
    }
}
