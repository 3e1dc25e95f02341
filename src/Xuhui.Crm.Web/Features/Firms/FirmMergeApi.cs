using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Imports;
using Xuhui.Crm.Web.Features.Operations;

namespace Xuhui.Crm.Web.Features.Firms;

public sealed record MergeResult(long FromId, long IntoId, Dictionary<string, int> Moved);

/// <summary>
/// Merges a duplicate into a survivor: cases, visits, tasks, contacts, requests and audit history move; the
/// duplicate stays as an archived row (so nothing that refers to it breaks) with a <see cref="FirmMerge"/> pointer,
/// and GET /api/firms/{old} answers 308 to the survivor.
/// </summary>
public static class FirmMergeApi
{
    public static RouteGroupBuilder MapFirmMerge(this RouteGroupBuilder api)
    {
        api.MapPost("/firms/{id:long}/merge", Merge).WithTags("Firms").RequireAuthorization(Policies.Manager);
        return api;
    }

    /// <summary>The firm a merged id now lives on (following chains), or null when <paramref name="id"/> was never merged.</summary>
    // Compiled once: firm detail asks this on every request.
    private static readonly Func<CrmDbContext, long, CancellationToken, Task<long?>> Survivor =
        EF.CompileAsyncQuery((CrmDbContext db, long id, CancellationToken ct) =>
            db.Set<FirmMerge>().AsNoTracking().Where(m => m.FromFirmId == id).Select(m => (long?)m.IntoFirmId).FirstOrDefault());

    /// <summary>The survivor when the caller's district filter lets them see it; null otherwise.</summary>
    private static readonly Func<CrmDbContext, long, CancellationToken, Task<long?>> VisibleSurvivor =
        EF.CompileAsyncQuery((CrmDbContext db, long id, CancellationToken ct) =>
            db.Set<FirmMerge>().AsNoTracking().Where(m => m.FromFirmId == id && db.Firms.Any(f => f.Id == m.IntoFirmId))
                .Select(m => (long?)m.IntoFirmId).FirstOrDefault());

    public static Task<long?> SurvivorAsync(CrmDbContext db, long id, CancellationToken ct) => Survivor(db, id, ct);

    /// <summary>
    /// The survivor to point a reader of <paramref name="id"/> to, or null. With a district scope only a survivor the caller
    /// can see counts: the merge rows carry no district, and pointing another district's reader to the survivor would tell
    /// them the firm exists (they get the 404 of an id that does not exist). Unscoped, the plain lookup.
    /// </summary>
    public static Task<long?> VisibleSurvivorAsync(CrmDbContext db, long id, CancellationToken ct) =>
        db.District is null ? Survivor(db, id, ct) : VisibleSurvivor(db, id, ct);

    public static async Task<Results<Ok<MergeResult>, ValidationProblem, ProblemHttpResult>> Merge(
        long id, MergeRequest request, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        if (request.IntoId is not { } intoId)
        {
            return Problems.Field("intoId", "必填：保留的企业 ID (required: the surviving firm)");
        }

        if (intoId == id)
        {
            return Problems.Field("intoId", "不能与自身合并 (cannot merge a firm into itself)");
        }

        var from = await db.Firms.FirstOrDefaultAsync(f => f.Id == id, ct);
        var into = await db.Firms.FirstOrDefaultAsync(f => f.Id == intoId, ct);
        if (from is null || into is null)
        {
            return Problems.NotFound($"企业 {(from is null ? id : intoId)} 不存在 (firm not found)");
        }

        if (await SurvivorAsync(db, id, ct) is { } already)
        {
            return Problems.Conflict($"企业 {id} 已合并到企业 {already} (already merged)");
        }

        if (await SurvivorAsync(db, intoId, ct) is { } intoSurvivor)
        {
            return Problems.Field("intoId", $"企业 {intoId} 已合并到企业 {intoSurvivor}，请合并到 {intoSurvivor} (the target was itself merged)");
        }

        var clash = await db.Cases.Where(c => c.FirmId == id && c.IsOpen)
            .Where(c => db.Cases.Any(o => o.FirmId == intoId && o.IsOpen && o.Program == c.Program)).Select(c => c.Program).ToListAsync(ct);
        if (clash.Count > 0)
        {
            return Problems.Conflict($"两家企业在 {string.Join("、", clash)} 都有进行中的案件，请先结束其中一个 (both have open cases in the same programme)");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moved = new Dictionary<string, int>
        {
            ["cases"] = await db.Cases.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
            ["visits"] = await db.Visits.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
            ["tasks"] = await db.Tasks.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
            ["contacts"] = await db.Contacts.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
            ["requests"] = await db.Requests.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
            ["auditEntries"] = await db.AuditEntries.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
            ["contactAccesses"] = await db.ContactAccesses.Where(x => x.FirmId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
            ["financials"] = await db.FirmFinancials.Where(x => x.FirmId == id && !db.FirmFinancials.Any(o => o.FirmId == intoId && o.Year == x.Year))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmId, intoId), ct),
        };

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

        await db.FirmMerges.Where(m => m.IntoFirmId == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.IntoFirmId, intoId), ct);
        db.FirmMerges.Add(new FirmMerge
        {
            FromFirmId = id,
            IntoFirmId = intoId,
            FromName = from.Name,
            FromCreditCode = code,
            ById = user.UserId(),
            At = db.Clock.GetUtcNow().UtcDateTime,
        });
        db.RecordChange(intoId, nameof(Firm), intoId, "MergedFrom", null, $"{id} {from.Name} {code}".Trim());
        db.RecordChange(id, nameof(Firm), id, "MergedInto", null, intoId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new MergeResult(id, intoId, moved));
    }
}
