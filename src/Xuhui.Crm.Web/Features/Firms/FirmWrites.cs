using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>The steps the create and update use cases share: the officer check and syncing the firm's owned rows.</summary>
internal static class FirmWrites
{
    /// <summary>The lead and the co-officers must be active users of the firm's district who may hold firms.</summary>
    public static async Task CheckOfficersAsync(CrmDbContext db, Errors errors, string district, long? leadId, List<long> coOfficerIds, CancellationToken ct)
    {
        var ids = coOfficerIds.Append(leadId ?? 0).Where(i => i != 0).Distinct().ToList();
        var found = await UserDirectory.Assignable(db, district).Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
        if (leadId is not null && !found.Contains(leadId.Value))
        {
            errors.Add("leadOfficerId", FirmText.UnknownOfficer(leadId.Value));
        }

        foreach (var missing in coOfficerIds.Where(i => !found.Contains(i)).Distinct())
        {
            errors.Add("coOfficerIds", FirmText.UnknownOfficer(missing));
        }
    }

    /// <summary>A stale save answers with the firm as it is now, so the caller can show what changed.</summary>
    public static async Task<OutcomeFailure> ConflictWithCurrentAsync(CrmDbContext db, long id, CadenceOptions cadence, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var current = await db.Firms.AsNoTracking().Include(f => f.Financials).Include(f => f.CoOfficers).FirstAsync(f => f.Id == id, ct);
        return Outcome.Conflict(FirmText.ModifiedMeanwhile, FirmDto.From(current, current.CoOfficers.Select(o => o.UserId), cadence, withFinancials: true));
    }

    public static bool SameOfficers(Firm firm, List<long> wanted) =>
        wanted.Distinct().Where(i => i != firm.LeadOfficerId).Order().SequenceEqual(firm.CoOfficers.Select(o => o.UserId).Order());

    public static void SyncCoOfficers(CrmDbContext db, Firm firm, List<long> wanted)
    {
        var target = wanted.Distinct().Where(i => i != firm.LeadOfficerId).Order().ToList();
        var before = firm.CoOfficers.Select(o => o.UserId).Order().ToList();
        if (before.SequenceEqual(target))
        {
            return;
        }

        firm.CoOfficers.RemoveAll(o => !target.Contains(o.UserId));
        firm.CoOfficers.AddRange(target.Where(t => before.All(b => b != t)).Select(t => new FirmOfficer { FirmId = firm.Id, UserId = t }));
        db.RecordChange(firm.Id, nameof(Firm), firm.Id, "CoOfficerIds", string.Join(",", before), string.Join(",", target));
    }

    public static void SyncFinancials(Firm firm, List<FinancialDto> wanted)
    {
        firm.Financials.RemoveAll(f => wanted.All(w => w.Year != f.Year));
        foreach (var w in wanted)
        {
            var existing = firm.Financials.FirstOrDefault(f => f.Year == w.Year);
            if (existing is null)
            {
                firm.Financials.Add(ToEntity(w));
                continue;
            }

            existing.SalesRevenue = w.SalesRevenue;
            existing.TotalRevenue = w.TotalRevenue;
            existing.RdExpense = w.RdExpense;
            existing.RdExpenseInChina = w.RdExpenseInChina;
            existing.HighTechRevenue = w.HighTechRevenue;
        }
    }

    public static FirmFinancial ToEntity(FinancialDto w) => new()
    {
        Year = w.Year,
        SalesRevenue = w.SalesRevenue,
        TotalRevenue = w.TotalRevenue,
        RdExpense = w.RdExpense,
        RdExpenseInChina = w.RdExpenseInChina,
        HighTechRevenue = w.HighTechRevenue,
    };
}
