using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>The case reads the API, the case pages and the firm page share.</summary>
public static class CaseQueries
{
    public sealed record ListQuery(string? Program, string? Stage, long? OwnerId, bool? Open, long? FirmId, int? Page, int? PageSize);

    /// <summary>One page of cases in stage-since order (the order the Program/Stage/StageSince index serves).</summary>
    public static async Task<Outcome<CasePage>> ListAsync(ListQuery q, CaseServices s, CancellationToken ct)
    {
        var errors = new Errors();
        if (q.Program is not null && s.Reference.Programs.Find(q.Program) is null)
        {
            errors.Add("program", Text.F("未知项目：{0}", q.Program));
        }

        Paging.Validate(errors, q.Page, q.PageSize);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var cases = s.Db.Cases.AsNoTracking();
        if (q.Program is not null)
        {
            cases = cases.Where(c => c.Program == q.Program);
        }

        if (q.Stage is not null)
        {
            cases = cases.Where(c => c.Stage == q.Stage);
        }

        if (q.OwnerId is not null)
        {
            cases = cases.Where(c => c.OwnerId == q.OwnerId);
        }

        if (q.Open is not null)
        {
            cases = cases.Where(c => c.IsOpen == q.Open);
        }

        if (q.FirmId is not null)
        {
            cases = cases.Where(c => c.FirmId == q.FirmId);
        }

        var (p, size) = Paging.Resolve(q.Page, q.PageSize);
        var total = await cases.CountAsync(ct);
        var rows = await cases.OrderBy(c => c.StageSince).ThenBy(c => c.Id).Skip((p - 1) * size).Take(size)
            .Select(c => new { Case = c, FirmName = c.Firm!.Name }).ToListAsync(ct);
        var today = s.Today();
        return Outcome.Ok(new CasePage(
            rows.Select(r => CaseDto.From(r.Case, r.FirmName, s.Reference.Programs, today, withHistory: false)).ToList(), total, p, size));
    }

    /// <summary>Every case of one firm with its history, by programme then newest first.</summary>
    public static async Task<Outcome<List<CaseDto>>> ForFirmAsync(long firmId, CaseServices s, CancellationToken ct)
    {
        var firmName = await s.Db.Firms.Where(f => f.Id == firmId).Select(f => f.Name).FirstOrDefaultAsync(ct);
        if (firmName is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(firmId));
        }

        var today = s.Today();
        var cases = await s.Db.Cases.AsNoTracking().Include(c => c.Transitions).Include(c => c.AnnualReports)
            .Where(c => c.FirmId == firmId).OrderBy(c => c.Program).ThenByDescending(c => c.OpenedOn).AsSplitQuery().ToListAsync(ct);
        return Outcome.Ok(cases.Select(c => CaseDto.From(c, firmName, s.Reference.Programs, today, withHistory: true)).ToList());
    }

    public static async Task<Outcome<CaseDto>> GetAsync(long id, CaseServices s, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(s.Db, id, tracking: false, ct);
        return c is null ? Outcome.NotFound(Messages.CaseNotFound(id)) : Outcome.Ok(s.Dto(c));
    }
}
