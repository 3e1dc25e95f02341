using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Tasks;

public sealed record TaskRequest(int? Version, long? FirmId, long? CaseId, long? AssigneeId, string? Title, string? Kind, DateOnly? DueOn);

public sealed record CompleteTaskRequest(int? Version, DateOnly? CompletedOn, string? Note);

public sealed record TaskDto(
    long Id,
    int Version,
    long FirmId,
    long? CaseId,
    long? VisitId,
    long AssigneeId,
    string Title,
    string Kind,
    DateOnly DueOn,
    FollowUpStatus Status,
    DateOnly? CompletedOn,
    string? CompletionNote,
    long CreatedById,
    DateTime CreatedAt)
{
    public string? FirmName { get; init; }

    /// <summary>Days past due for an open task, as of today (Shanghai); 0 when not overdue.</summary>
    public int? DaysOverdue { get; init; }

    public static TaskDto From(FollowUpTask t) => new(
        t.Id, t.Version, t.FirmId, t.CaseId, t.VisitId, t.AssigneeId, t.Title, t.Kind, t.DueOn, t.Status, t.CompletedOn, t.CompletionNote, t.CreatedById, t.CreatedAt);
}

public sealed record TaskPage(List<TaskDto> Items, int Total, int Page, int PageSize);

public static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tasks").WithTags("Tasks");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/complete", Complete).RequireAuthorization(Policies.Writer);
        return api;
    }

    public static async Task<Results<Ok<TaskPage>, ValidationProblem>> List(
        long? assigneeId, string? status, DateOnly? dueBefore, long? firmId, bool? overdue, int? page, int? pageSize,
        CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Errors();
        Paging.Validate(errors, page, pageSize);
        if (status is not null && !Json.TryParseEnum<FollowUpStatus>(status, out _))
        {
            errors.Add("status", $"取值应为 (one of): {Json.Allowed<FollowUpStatus>()}");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var today = ShanghaiTime.Today(clock);
        var tasks = db.Tasks.AsNoTracking();
        if (assigneeId is not null)
        {
            tasks = tasks.Where(t => t.AssigneeId == assigneeId);
        }

        if (Json.TryParseEnum<FollowUpStatus>(status, out var s))
        {
            tasks = tasks.Where(t => t.Status == s);
        }

        if (dueBefore is not null)
        {
            tasks = tasks.Where(t => t.DueOn < dueBefore);
        }

        if (firmId is not null)
        {
            tasks = tasks.Where(t => t.FirmId == firmId);
        }

        if (overdue == true)
        {
            tasks = tasks.Where(t => t.Status == FollowUpStatus.Open && t.DueOn < today);
        }

        var (p, size) = Paging.Resolve(page, pageSize);
        var total = await tasks.CountAsync(ct);
        var rows = await tasks.OrderBy(t => t.DueOn).ThenBy(t => t.Id).Skip((p - 1) * size).Take(size)
            .Join(db.Firms, t => t.FirmId, f => f.Id, (t, f) => new { Task = t, FirmName = f.Name })
            .ToListAsync(ct);
        return TypedResults.Ok(new TaskPage(rows.Select(r => WithToday(TaskDto.From(r.Task), r.FirmName, today)).ToList(), total, p, size));
    }

    public static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> Get(long id, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.Tasks.AsNoTracking().Where(t => t.Id == id)
            .Join(db.Firms, t => t.FirmId, f => f.Id, (t, f) => new { Task = t, FirmName = f.Name }).FirstOrDefaultAsync(ct);
        return row is null
            ? Problems.NotFound($"跟进事项 {id} 不存在 (task not found)")
            : TypedResults.Ok(WithToday(TaskDto.From(row.Task), row.FirmName, ShanghaiTime.Today(clock)));
    }

    public static async Task<Results<Created<TaskDto>, ValidationProblem, ProblemHttpResult>> Create(
        TaskRequest request, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = await ValidateAsync(request, db, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var me = user.UserId();
        var assignee = request.AssigneeId ?? me;
        if (assignee != me && !user.IsManager() && !await FirmAccess.CanEditAsync(db, user, request.FirmId!.Value, ct))
        {
            return Problems.Forbidden("只能为自己创建跟进事项；为他人分派须是该企业的专员、科长或管理员");
        }

        var task = new FollowUpTask
        {
            FirmId = request.FirmId!.Value,
            CaseId = request.CaseId,
            AssigneeId = assignee,
            Title = request.Title!.Trim(),
            Kind = string.IsNullOrWhiteSpace(request.Kind) ? "follow-up" : request.Kind.Trim(),
            DueOn = request.DueOn!.Value,
            Status = FollowUpStatus.Open,
            CreatedById = me,
        };
        db.Tasks.Add(task);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/tasks/{task.Id}", WithToday(TaskDto.From(task), null, ShanghaiTime.Today(clock)));
    }

    public static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, TaskRequest request, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null)
        {
            return Problems.NotFound($"跟进事项 {id} 不存在 (task not found)");
        }

        if (!await CanEditAsync(db, user, task, ct))
        {
            return Problems.Forbidden("只有被分派人、企业专员、科长或管理员可以修改跟进事项");
        }

        var today = ShanghaiTime.Today(clock);
        if (request.Version is null)
        {
            return Problems.Field("version", Problems.VersionRequired);
        }

        if (request.Version != task.Version)
        {
            return Problems.Conflict($"跟进事项已被修改：提交的版本为 {request.Version}，当前版本为 {task.Version}", WithToday(TaskDto.From(task), null, today));
        }

        var errors = await ValidateAsync(request with { FirmId = task.FirmId }, db, ct);
        if (request.FirmId is not null && request.FirmId != task.FirmId)
        {
            errors.Add("firmId", "跟进事项不能改到其他企业");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        db.Entry(task).Property(t => t.Version).OriginalValue = request.Version!.Value;
        task.CaseId = request.CaseId;
        task.AssigneeId = request.AssigneeId ?? task.AssigneeId;
        task.Title = request.Title!.Trim();
        task.Kind = string.IsNullOrWhiteSpace(request.Kind) ? task.Kind : request.Kind.Trim();
        task.DueOn = request.DueOn!.Value;
        return await SaveAsync(db, task, today, ct);
    }

    public static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> Complete(
        long id, CompleteTaskRequest? request, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null)
        {
            return Problems.NotFound($"跟进事项 {id} 不存在 (task not found)");
        }

        if (!await CanEditAsync(db, user, task, ct))
        {
            return Problems.Forbidden("只有被分派人、企业专员、科长或管理员可以完成跟进事项");
        }

        var today = ShanghaiTime.Today(clock);
        if (request?.Version is { } version && version != task.Version)
        {
            return Problems.Conflict($"跟进事项已被修改：提交的版本为 {version}，当前版本为 {task.Version}", WithToday(TaskDto.From(task), null, today));
        }

        if (task.Status != FollowUpStatus.Open)
        {
            return Problems.Conflict("该跟进事项已完成或已取消 (already closed)", WithToday(TaskDto.From(task), null, today));
        }

        var completedOn = request?.CompletedOn ?? today;
        if (completedOn > today)
        {
            return Problems.Field("completedOn", "完成日期不能晚于今天");
        }

        if (request?.Version is { } v)
        {
            db.Entry(task).Property(t => t.Version).OriginalValue = v;
        }

        task.Status = FollowUpStatus.Done;
        task.CompletedOn = completedOn;
        task.CompletionNote = string.IsNullOrWhiteSpace(request?.Note) ? null : request.Note.Trim();
        return await SaveAsync(db, task, today, ct);
    }

    private static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        CrmDbContext db, FollowUpTask task, DateOnly today, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Tasks.AsNoTracking().FirstAsync(t => t.Id == task.Id, ct);
            return Problems.Conflict("跟进事项已被他人修改，请刷新后重试", WithToday(TaskDto.From(current), null, today));
        }

        return TypedResults.Ok(WithToday(TaskDto.From(task), null, today));
    }

    private static async Task<bool> CanEditAsync(CrmDbContext db, ClaimsPrincipal user, FollowUpTask task, CancellationToken ct) =>
        user.IsManager() || (user.CanWrite() && (task.AssigneeId == user.UserId() || await FirmAccess.CanEditAsync(db, user, task.FirmId, ct)));

    private static async Task<Errors> ValidateAsync(TaskRequest r, CrmDbContext db, CancellationToken ct)
    {
        var errors = new Errors();
        if (r.FirmId is null || !await db.Firms.AnyAsync(f => f.Id == r.FirmId, ct))
        {
            errors.Add("firmId", "企业不存在 (unknown firm)");
        }

        if (string.IsNullOrWhiteSpace(r.Title))
        {
            errors.Add("title", "跟进事项必填 (required)");
        }
        else if (r.Title.Length > 500)
        {
            errors.Add("title", "不超过500字");
        }

        if (r.DueOn is null)
        {
            errors.Add("dueOn", "截止日期必填 (required)");
        }

        if (r.AssigneeId is { } a && !await (r.FirmId is { } firmId ? Users.UserDirectory.Assignable(db, firmId) : Users.UserDirectory.Assignable(db, (string?)null)).AnyAsync(u => u.Id == a, ct))
        {
            errors.Add("assigneeId", $"用户 {a} 不存在、已停用或无权承办");
        }

        if (r.CaseId is { } c && !await db.Cases.AnyAsync(x => x.Id == c && x.FirmId == r.FirmId, ct))
        {
            errors.Add("caseId", "案件须属于该企业 (the case must belong to the firm)");
        }

        return errors;
    }

    private static TaskDto WithToday(TaskDto dto, string? firmName, DateOnly today) => dto with
    {
        FirmName = firmName,
        DaysOverdue = dto.Status == FollowUpStatus.Open && dto.DueOn < today ? today.DayNumber - dto.DueOn.DayNumber : 0,
    };
}
