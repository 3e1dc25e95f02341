using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Visits;

public sealed record VisitFilter(long? FirmId, long? OfficerId, DateOnly? From, DateOnly? To, string? Status, int? Page, int? PageSize)
{
    public Errors Validate()
    {
        var errors = new Errors();
        Paging.Validate(errors, Page, PageSize);
        if (Status is not null && !Json.TryParseEnum<VisitStatus>(Status, out _))
        {
            errors.Add("status", Messages.OneOf(Json.Allowed<VisitStatus>()));
        }

        return errors;
    }
}

/// <summary>The visit reads the API and the firm page share.</summary>
public static class VisitQueries
{
    public static async Task<VisitPage> ListAsync(VisitFilter filter, CrmDbContext db, CancellationToken ct)
    {
        var visits = db.Visits.AsNoTracking();
        if (filter.FirmId is { } firmId)
        {
            visits = visits.Where(v => v.FirmId == firmId);
        }

        if (filter.OfficerId is { } officerId)
        {
            visits = visits.Where(v => db.VisitOfficers.Where(o => o.UserId == officerId).Select(o => o.VisitId).Contains(v.Id));
        }

        if (filter.From is { } from)
        {
            visits = visits.Where(v => v.On >= from);
        }

        if (filter.To is { } to)
        {
            visits = visits.Where(v => v.On <= to);
        }

        if (Json.TryParseEnum<VisitStatus>(filter.Status, out var s))
        {
            visits = visits.Where(v => v.Status == s);
        }

        var (p, size) = Paging.Resolve(filter.Page, filter.PageSize);
        var total = await visits.CountAsync(ct);
        var rows = await visits.OrderByDescending(v => v.On).ThenByDescending(v => v.Id).Skip((p - 1) * size).Take(size)
            .Include(v => v.Officers).Include(v => v.Contacts).AsSplitQuery().ToListAsync(ct);
        var firmIds = rows.Select(v => v.FirmId).Distinct().ToList();
        var names = await db.Firms.Where(f => firmIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, ct);
        return new VisitPage(rows.Select(v => VisitDto.From(v, names.GetValueOrDefault(v.FirmId))).ToList(), total, p, size);
    }

    /// <summary>One visit with the follow-ups it created.</summary>
    public static async Task<VisitDto?> GetAsync(long id, CrmDbContext db, CancellationToken ct)
    {
        var v = await db.Visits.AsNoTracking().Include(x => x.Officers).Include(x => x.Contacts).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (v is null)
        {
            return null;
        }

        var firmName = await db.Firms.Where(f => f.Id == v.FirmId).Select(f => f.Name).FirstAsync(ct);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.VisitId == id).OrderBy(t => t.Id).ToListAsync(ct);
        return VisitDto.From(v, firmName, tasks.Select(TaskDto.From).ToList());
    }
}
