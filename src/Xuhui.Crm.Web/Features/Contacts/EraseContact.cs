using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Contacts;

/// <summary>
/// Erasure on request (PIPL): the contact's details are removed and its values scrubbed from the audit trail and the
/// outbox; visits keep their history with an anonymous participant. Backups age out under the retention policy.
/// </summary>
public static class EraseContact
{
    public sealed record Command(long Id);

    public static async Task<Outcome<long>> HandleAsync(Command command, ContactServices s, CancellationToken ct)
    {
        var (db, id) = (s.Db, command.Id);
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Outcome.NotFound(Messages.ContactNotFound(id));
        }

        string[] values = [contact.Name, contact.Phone ?? string.Empty, contact.Email ?? string.Empty, contact.WeChat ?? string.Empty];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        contact.Name = ContactErasure.ErasedName;
        contact.Title = null;
        contact.Phone = null;
        contact.Email = null;
        contact.WeChat = null;
        contact.IsArchived = true;
        await db.SaveChangesAsync(ct);
        await ContactErasure.ScrubAuditAsync(db, id, ct);
        await ContactErasure.ScrubOutboxAsync(db, values, s.Paths.DataDirectory, ct);
        await tx.CommitAsync(ct);
        return Outcome.Ok(id);
    }
}
