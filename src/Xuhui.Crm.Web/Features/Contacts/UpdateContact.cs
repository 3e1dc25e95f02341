using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Contacts;

/// <summary>Edits a contact (PUT /api/contacts/{id} and the contact page) against the version the caller read.</summary>
public static class UpdateContact
{
    public sealed record Command(long Id, ContactRequest Input);

    public static async Task<Outcome<ContactDto>> HandleAsync(Command command, ClaimsPrincipal user, ContactServices s, CancellationToken ct)
    {
        var (db, id, request) = (s.Db, command.Id, command.Input);
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Outcome.NotFound(Messages.ContactNotFound(id));
        }

        if (!await FirmAccess.CanEditAsync(db, user, contact.FirmId, ct))
        {
            return Outcome.Forbidden(ContactText.NotYourFirm);
        }

        if (request.Version is null)
        {
            return Outcome.Invalid("version", Problems.VersionRequired);
        }

        if (request.Version != contact.Version)
        {
            return Outcome.Conflict(Text.F("联系人已被修改：提交的版本为 {0}，当前版本为 {1}", request.Version, contact.Version), ContactDto.From(contact, true));
        }

        var errors = ContactRules.Validate(request);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        db.Entry(contact).Property(c => c.Version).OriginalValue = request.Version.Value;
        request.ApplyTo(contact);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == id, ct);
            return Outcome.Conflict(Text.T("联系人已被他人修改"), ContactDto.From(current, true));
        }

        return Outcome.Ok(ContactDto.From(contact, true));
    }
}
