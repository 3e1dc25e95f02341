using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Features.Operations;

public static class ContactAccessLog
{
    /// <summary>Records a full view of contacts by someone who is not one of the firm's officers.</summary>
    public static async Task RecordAsync(CrmDbContext db, ClaimsPrincipal user, long firmId, IEnumerable<long> contactIds, string route, CancellationToken ct)
    {
        var me = user.UserId();
        var ids = contactIds.ToList();
        if (ids.Count == 0 || await db.Firms.AnyAsync(f => f.Id == firmId && (f.LeadOfficerId == me || db.FirmOfficers.Any(o => o.FirmId == f.Id && o.UserId == me)), ct))
        {
            return;
        }

        var now = db.Clock.GetUtcNow().UtcDateTime;
        db.ContactAccesses.AddRange(ids.Select(id => new ContactAccess { ContactId = id, FirmId = firmId, UserId = me, Route = route, At = now }));
        await db.SaveChangesAsync(ct);
    }
}

public static class ContactErasure
{
    public const string ErasedName = "（已删除的联系人）";
    public const string Scrubbed = "[已删除]";

    /// <summary>Replaces every old and new value in the contact's audit rows; field names and times stay.</summary>
    public static async Task ScrubAuditAsync(CrmDbContext db, long contactId, CancellationToken ct)
    {
        var entries = await db.AuditEntries.Where(a => a.EntityType == nameof(Contact) && a.EntityId == contactId).ToListAsync(ct);
        foreach (var entry in entries)
        {
            entry.Changes = entry.Changes
                .Select(c => c.Field is nameof(Contact.FirmId) or nameof(Contact.IsArchived) or nameof(Contact.Version)
                    ? c
                    : new AuditChange(c.Field, c.Old is null ? null : Scrubbed, c.New is null ? null : Scrubbed))
                .ToList();
        }

        await db.SaveChangesAsync(ct);
    }
}
