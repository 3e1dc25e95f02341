using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Firms;

public sealed record MergeResult(long FromId, long IntoId, Dictionary<string, int> Moved);

/// <summary>
/// Merges a duplicate into a survivor: cases, visits, tasks, contacts, requests and audit history move; the
/// duplicate stays as an archived row (so nothing that refers to it breaks) with a <see cref="FirmMerge"/> pointer,
/// and GET /api/firms/{old} answers 308 to the survivor.
/// </summary>
public static class MergeFirms
{
    public sealed record Command(long Id, long? IntoId);

    public static async Task<Outcome<MergeResult>> HandleAsync(Command command, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        var id = command.Id;
        if (command.IntoId is not { } intoId)
        {
            return Outcome.Invalid("intoId", Text.T("必填：保留的企业 ID"));
        }

        if (intoId == id)
        {
            return Outcome.Invalid("intoId", Text.T("不能与自身合并"));
        }

        var from = await db.Firms.FirstOrDefaultAsync(f => f.Id == id, ct);
        var into = await db.Firms.FirstOrDefaultAsync(f => f.Id == intoId, ct);
        if (from is null || into is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(from is null ? id : intoId));
        }

        if (await FirmMerges.SurvivorAsync(db, id, ct) is { } already)
        {
            return Outcome.Conflict(Text.F("企业 {0} 已合并到企业 {1}", id, already));
        }

        if (await FirmMerges.SurvivorAsync(db, intoId, ct) is { } intoSurvivor)
        {
            return Outcome.Invalid("intoId", Text.F("企业 {0} 已合并到企业 {1}，请合并到 {1}", intoId, intoSurvivor));
        }

        var clash = await db.Cases.Where(c => c.FirmId == id && c.IsOpen)
            .Where(c => db.Cases.Any(o => o.FirmId == intoId && o.IsOpen && o.Program == c.Program)).Select(c => c.Program).ToListAsync(ct);
        if (clash.Count > 0)
        {
            return Outcome.Conflict(Text.F("两家企业在 {0} 都有进行中的案件，请先结束其中一个", string.Join("、", clash)));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moved = await MoveRowsAsync(db, id, intoId, ct);
        var officers = await db.FirmOfficers.Where(o => o.FirmId == id || o.FirmId == intoId).ToListAsync(ct);
        var wanted = officers.Where(o => o.FirmId == id).Select(o => o.UserId).Append(from.LeadOfficerId ?? 0)
            .Where(u => u != 0 && u != into.LeadOfficerId && officers.All(o => o.FirmId != intoId || o.UserId != u)).Distinct().ToList();
        db.FirmOfficers.AddRange(wanted.Select(u => new FirmOfficer { FirmId = intoId, UserId = u }));
        moved["coOfficers"] = wanted.Count;

        // The survivor answers to the duplicate's name in search; a code it lacked comes over.
        if (!string.Equals(from.Name, into.Name, StringComparison.Ordinal) && !into.FormerNames.Contains(from.Name))
        {
            into.FormerNames = [.. into.FormerNames, from.Name];
        }

        var code = from.CreditCode;
        from.IsArchived = true;
        if (into.CreditCode is null && code is not null)
        {
            // The unique code index: the duplicate lets go of it before the survivor takes it.
            from.CreditCode = null;
            from.CreditCodeOverride = false;
            await db.SaveChangesAsync(ct);
            into.CreditCode = code;
            into.IsProspect = false;
        }

        if (from.LastVisitOn > into.LastVisitOn || into.LastVisitOn is null)
        {
            into.LastVisitOn = from.LastVisitOn ?? into.LastVisitOn;
        }

        await db.Set<FirmMerge>().Where(m => m.IntoFirmId == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.IntoFirmId, intoId), ct);
        db.Set<FirmMerge>().Add(new FirmMerge
        {
            FromFirmId = id,
            IntoFirmId = intoId,
            FromName = from.Name,
            FromCreditCode = code,
            ById = user.UserId(),
            At = db.Clock.GetUtcNow().UtcDateTime,
        });
        db.RecordChange(intoId, nameof(Firm), intoId, "MergedFrom", null, $"{id} {from.Name} {code}".Trim());
        db.RecordChange(id, nameof(Firm), id, "MergedInto", null, intoId.ToString(CultureInfo.InvariantCulture));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome.Ok(new MergeResult(id, intoId, moved));
    }

    /// <summary>Re-points every firm-owned row in bulk; a survivor's own financial year wins over the duplicate's.</summary>
    private static async Task<Dictionary<string, int>> MoveRowsAsync(CrmDbContext db, long id, long intoId, CancellationToken ct) => new()
    {
        ["cases"] = await db.Cases.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        ["visits"] = await db.Visits.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        ["tasks"] = await db.Tasks.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        ["contacts"] = await db.Contacts.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        ["requests"] = await db.Requests.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        ["auditEntries"] = await db.AuditEntries.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        ["contactAccesses"] = await db.Set<ContactAccess>().Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        ["financials"] = await db.FirmFinancials.Where(x => x.FirmId == id && !db.FirmFinancials.Any(o => o.FirmId == intoId && o.Year == x.Year))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
    };
}
