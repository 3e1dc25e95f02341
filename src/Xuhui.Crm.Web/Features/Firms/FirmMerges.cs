using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>Where a merged firm now lives: the lookups firm detail, the merge and the importer ask.</summary>
public static class FirmMerges
{
    /// <summary>The firm a merged id now lives on, or null when the id was never merged. Compiled once: firm detail asks it.</summary>
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
}
