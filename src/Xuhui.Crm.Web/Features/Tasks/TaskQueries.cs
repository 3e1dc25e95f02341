using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Tasks;

public sealed record TaskFilter(long? AssigneeId, string? Status, DateOnly? DueBefore, long? FirmId, bool? Overdue, int? Page, int? PageSize)
{
    public Errors Validate()
    {
        var errors = new Errors();
        Paging.Validate(errors, Page, PageSize);
        if (Status is not null && !Json.TryParseEnum<FollowUpStatus>(Status, out _))
        {
            errors.Add("status", Messages.OneOf(Json.Allowed<FollowUpStatus>()));
        }

        return errors;
    }
}

/// <summary>The task reads the API and the firm page share.</summary>
public static class TaskQueries
{
    public static async Task<TaskPage> ListAsync(TaskFilter filter, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var today = ShanghaiTime.Today(clock);
        var tasks = db.Tasks.AsNoTracking();
        if (filter.AssigneeId is { } assigneeId)
        {
            tasks = tasks.Where(t => t.AssigneeId == assigneeId);
        }

        if (Json.TryParseEnum<FollowUpStatus>(filter.Status, out var s))
        {
            tasks = tasks.Where(t => t.Status == s);
        }

        if (filter.DueBefore is { } dueBefore)
        {
            tasks = tasks.Where(t => t.DueOn < dueBefore);
        }

        if (filter.FirmId is { } firmId)
        {
            tasks = tasks.Where(t => t.FirmId == firmId);
        }

        if (filter.Overdue == true)
        {
            tasks = tasks.Where(t => t.Status == FollowUpStatus.Open && t.DueOn < today);
        }

        var (p, size) = Paging.Resolve(filter.Page, filter.PageSize);
        var total = await tasks.CountAsync(ct);
        var rows = await tasks.OrderBy(t => t.DueOn).ThenBy(t => t.Id).Skip((p - 1) * size).Take(size)
            .Join(db.Firms, t => t.FirmId, f => f.Id, (t, f) => new { Task = t, FirmName = f.Name })
            .ToListAsync(ct);
        return new TaskPage(rows.Select(r => TaskDto.From(r.Task, r.FirmName, today)).ToList(), total, p, size);
    }

    public static async Task<TaskDto?> GetAsync(long id, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.Tasks.AsNoTracking().Where(t => t.Id == id)
            .Join(db.Firms, t => t.FirmId, f => f.Id, (t, f) => new { Task = t, FirmName = f.Name }).FirstOrDefaultAsync(ct);
        return row is null ? null : TaskDto.From(row.Task, row.FirmName, ShanghaiTime.Today(clock));
    }
}
