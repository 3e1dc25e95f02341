using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Hnte;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>A firm read for its detail: the firm, or the survivor it was merged into (when the caller may see that one).</summary>
public sealed record FirmRead(FirmDto? Firm, long? MergedInto);

/// <summary>The firm reads the API and the pages share.</summary>
public static class FirmQueries
{
    /// <summary>
    /// Compiled once: firm detail is among the most frequent requests. One statement projects the columns the DTO shows
    /// with the financials and the co-officers (as one column); no entity is materialised. Read as a sequence (the key
    /// matches one firm at most), not FirstOrDefault: that wraps the firm in a LIMIT 1 derived table of all its columns
    /// before joining the financials, which SQLite re-flattens on every prepare.
    /// </summary>
    private static readonly Func<CrmDbContext, long, IAsyncEnumerable<FirmColumns>> FirmWithDetails =
        EF.CompileAsyncQuery((CrmDbContext db, long id) => db.Firms.AsNoTracking().Where(f => f.Id == id).Select(FirmColumns.WithDetails));

    public static async Task<FirmRead> ReadAsync(CrmDbContext db, long id, CadenceOptions cadence, CancellationToken ct)
    {
        var firm = await ColumnsAsync(db, id, ct);

        // A merge archives the duplicate and nothing un-archives a firm, so a visible firm that is not archived was
        // never merged: only a missing or archived one needs the merge lookup (one query fewer on the common path).
        if ((firm is null || firm.IsArchived) && await FirmMerges.VisibleSurvivorAsync(db, id, ct) is { } survivor)
        {
            return new FirmRead(null, survivor);
        }

        return new FirmRead(firm is null ? null : FirmDto.From(firm, firm.CoOfficerIds(), cadence, firm.Financials ?? []), null);
    }

    /// <summary>The firm as it stands (null when missing, or merged into another).</summary>
    public static async Task<FirmDto?> GetAsync(CrmDbContext db, long id, CadenceOptions cadence, CancellationToken ct) =>
        (await ReadAsync(db, id, cadence, ct)).Firm;

    public static async Task<Outcome<HnteCheckResult>> HnteCheckAsync(CrmDbContext db, long id, DateOnly? asOf, TimeProvider clock, CancellationToken ct)
    {
        // The detail's projection (one statement, no entity materialised) carries every fact the check reads.
        var firm = await ColumnsAsync(db, id, ct);

        if (firm is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(id));
        }

        var facts = new HnteFacts(
            firm.EstablishedOn,
            firm.Headcount,
            firm.RdHeadcount,
            (firm.Financials ?? [])
                .Select(f => new YearFinancials(f.Year, f.SalesRevenue, f.RdExpense, f.RdExpenseInChina, f.HighTechRevenue, f.TotalRevenue))
                .ToList(),
            firm.InventionPatents,
            firm.CoreIpCount,
            firm.TechField,
            firm.InnovationScore);
        return Outcome.Ok(HnteCheck.Evaluate(facts, asOf ?? ShanghaiTime.Today(clock)));
    }

    public static async Task<Outcome<List<AuditEntryDto>>> AuditAsync(CrmDbContext db, ClaimsPrincipal user, long id, int? limit, CancellationToken ct)
    {
        if (!await db.Firms.AnyAsync(f => f.Id == id, ct))
        {
            return Outcome.NotFound(Messages.FirmNotFound(id));
        }

        var take = Math.Clamp(limit ?? 500, 1, 5000);
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.FirmId == id)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(take)
            .Select(a => new AuditEntryDto(a.Id, a.EntityType, a.EntityId, a.Action, a.Changes, a.UserId, a.At))
            .ToListAsync(ct);
        if (!await FirmAccess.CanSeeContactsAsync(db, user, id, ct))
        {
            // Contact details are personal data: the trail shows that they changed, not what they were.
            entries = entries.Select(e => e.EntityType == nameof(Contact) ? e with { Changes = e.Changes.Select(MaskContactChange).ToList() } : e).ToList();
        }

        return Outcome.Ok(entries);
    }

    public static async Task<Outcome<List<StatusChangeDto>>> StatusChangesAsync(CrmDbContext db, long id, CancellationToken ct)
    {
        if (!await db.Firms.AnyAsync(f => f.Id == id, ct))
        {
            return Outcome.NotFound(Messages.FirmNotFound(id));
        }

        return Outcome.Ok((await db.FirmStatusChanges.AsNoTracking().Where(s => s.FirmId == id)
            .OrderBy(s => s.EffectiveOn).ThenBy(s => s.Id)
            .Select(s => new StatusChangeDto(s.Id, s.Status, s.EffectiveOn, s.Note, s.RecordedById, s.RecordedAt))
            .ToListAsync(ct)).ConvertAll(s => s with { Note = StatusNotes.Show(s.Note) }));
    }

    private static async Task<FirmColumns?> ColumnsAsync(CrmDbContext db, long id, CancellationToken ct)
    {
        FirmColumns? firm = null;
        await foreach (var row in FirmWithDetails(db, id).WithCancellation(ct))
        {
            firm = row;
        }

        return firm;
    }

    private static AuditChange MaskContactChange(AuditChange c) => c.Field switch
    {
        nameof(Contact.Phone) => c with { Old = ContactMask.Phone(c.Old), New = ContactMask.Phone(c.New) },
        nameof(Contact.Email) => c with { Old = ContactMask.Email(c.Old), New = ContactMask.Email(c.New) },
        nameof(Contact.WeChat) => c with { Old = ContactMask.Text(c.Old), New = ContactMask.Text(c.New) },
        _ => c,
    };
}
