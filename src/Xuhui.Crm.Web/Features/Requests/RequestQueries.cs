using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Requests;

public sealed record RequestFilter(
    long? FirmId, long? OwnerId, string? Category, string? Department, string? Status, bool? Overdue, int? Page, int? PageSize)
{
    public Errors Validate()
    {
        var errors = new Errors();
        Paging.Validate(errors, Page, PageSize);
        if (Status is not null && !Json.TryParseEnum<RequestStatus>(Status, out _))
        {
            errors.Add("status", Messages.OneOf(Json.Allowed<RequestStatus>()));
        }

        return errors;
    }
}

/// <summary>The ledger reads the API and the firm page share.</summary>
public static class RequestQueries
{
    public static async Task<RequestPage> ListAsync(RequestFilter filter, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var today = ShanghaiTime.Today(clock);
        var requests = db.Requests.AsNoTracking();
        if (filter.FirmId is { } firmId)
        {
            requests = requests.Where(r => r.FirmId == firmId);
        }

        if (filter.OwnerId is { } ownerId)
        {
            requests = requests.Where(r => r.OwnerId == ownerId);
        }

        if (filter.Category is { } category)
        {
            requests = requests.Where(r => r.Category == category);
        }

        if (filter.Department is { } department)
        {
            requests = requests.Where(r => r.Department == department);
        }

        if (Json.TryParseEnum<RequestStatus>(filter.Status, out var s))
        {
            requests = requests.Where(r => r.Status == s);
        }

        if (filter.Overdue is { } overdue)
        {
            var open = RequestRules.OpenStatuses;
            requests = overdue
                ? requests.Where(r => open.Contains(r.Status) && r.Deadline < today)
                : requests.Where(r => !(open.Contains(r.Status) && r.Deadline < today));
        }

        var (p, size) = Paging.Resolve(filter.Page, filter.PageSize);
        var total = await requests.CountAsync(ct);
        var rows = await requests.OrderBy(r => r.Deadline).ThenBy(r => r.Id).Skip((p - 1) * size).Take(size)
            .Join(db.Firms, r => r.FirmId, f => f.Id, (r, f) => new { Request = r, FirmName = f.Name }).ToListAsync(ct);
        return new RequestPage(rows.Select(x => RequestDto.From(x.Request, x.FirmName, today, false)).ToList(), total, p, size);
    }

    public static async Task<RequestDto?> GetAsync(long id, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var r = await db.Requests.AsNoTracking().Include(x => x.Progress).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null)
        {
            return null;
        }

        var firmName = await db.Firms.Where(f => f.Id == r.FirmId).Select(f => f.Name).FirstAsync(ct);
        return RequestDto.From(r, firmName, ShanghaiTime.Today(clock), true);
    }
}
