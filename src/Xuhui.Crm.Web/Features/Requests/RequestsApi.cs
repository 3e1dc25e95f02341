using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>The firm-request ledger (诉求台账): each request has an owner and a deadline and is closed item by item.</summary>
public static class RequestsApi
{
    public static RouteGroupBuilder MapRequestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/requests").WithTags("Requests");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/progress", AddProgress).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/close", Close).RequireAuthorization(Policies.Writer);
        return api;
    }

    public static async Task<Results<Ok<RequestPage>, ValidationProblem>> List(
        long? firmId, long? ownerId, string? category, string? department, string? status, bool? overdue, int? page, int? pageSize,
        CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Errors();
        Paging.Validate(errors, page, pageSize);
        if (status is not null && !Json.TryParseEnum<RequestStatus>(status, out _))
        {
            errors.Add("status", $"取值应为 (one of): {Json.Allowed<RequestStatus>()}");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var today = ShanghaiTime.Today(clock);
        var requests = db.Requests.AsNoTracking();
        if (firmId is not null)
        {
            requests = requests.Where(r => r.FirmId == firmId);
        }

        if (ownerId is not null)
        {
            requests = requests.Where(r => r.OwnerId == ownerId);
        }

        if (category is not null)
        {
            requests = requests.Where(r => r.Category == category);
        }

        if (department is not null)
        {
            requests = requests.Where(r => r.Department == department);
        }

        if (Json.TryParseEnum<RequestStatus>(status, out var s))
        {
            requests = requests.Where(r => r.Status == s);
        }

        if (overdue is not null)
        {
            var open = RequestRules.OpenStatuses;
            requests = overdue.Value
                ? requests.Where(r => open.Contains(r.Status) && r.Deadline < today)
                : requests.Where(r => !(open.Contains(r.Status) && r.Deadline < today));
        }

        var (p, size) = Paging.Resolve(page, pageSize);
        var total = await requests.CountAsync(ct);
        var rows = await requests.OrderBy(r => r.Deadline).ThenBy(r => r.Id).Skip((p - 1) * size).Take(size)
            .Join(db.Firms, r => r.FirmId, f => f.Id, (r, f) => new { Request = r, FirmName = f.Name }).ToListAsync(ct);
        return TypedResults.Ok(new RequestPage(rows.Select(x => RequestDto.From(x.Request, x.FirmName, today, false)).ToList(), total, p, size));
    }

    public static async Task<Results<Ok<RequestDto>, ProblemHttpResult>> Get(long id, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var r = await db.Requests.AsNoTracking().Include(x => x.Progress).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null)
        {
            return Problems.NotFound($"诉求 {id} 不存在 (request not found)");
        }

        var firmName = await db.Firms.Where(f => f.Id == r.FirmId).Select(f => f.Name).FirstAsync(ct);
        return TypedResults.Ok(RequestDto.From(r, firmName, ShanghaiTime.Today(clock), true));
    }

    public static async Task<Results<Created<RequestDto>, ValidationProblem, ProblemHttpResult>> Create(
        RequestCreate request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var today = ShanghaiTime.Today(clock);
        var errors = new Errors();
        var firmName = request.FirmId is null ? null : await db.Firms.Where(f => f.Id == request.FirmId && !f.IsArchived).Select(f => f.Name).FirstOrDefaultAsync(ct);
        if (firmName is null)
        {
            errors.Add("firmId", "企业不存在或已归档 (unknown firm)");
        }

        if (request.VisitId is { } visitId && !await db.Visits.AnyAsync(v => v.Id == visitId && v.FirmId == request.FirmId, ct))
        {
            errors.Add("visitId", "走访记录须属于该企业 (the visit must belong to the firm)");
        }

        await RequestRules.ValidateAsync(errors, string.Empty, request.Category, request.Description, request.Department, request.OwnerId, request.FirmId, db, reference, ct);
        var raisedOn = request.RaisedOn ?? today;
        if (raisedOn > today)
        {
            errors.Add("raisedOn", "提出日期不能晚于今天");
        }

        if (request.Deadline is { } deadline && deadline < raisedOn)
        {
            errors.Add("deadline", "办结期限不能早于提出日期");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var channel = request.Channel ?? (request.VisitId is null ? RequestChannel.Other : RequestChannel.Visit);
        var entity = await RequestRules.NewAsync(
            db, reference, request.FirmId!.Value, request.VisitId, channel, request.Category!, request.Description!, request.Department,
            request.OwnerId ?? user.UserId(), raisedOn, request.Deadline, user.UserId(), ct);
        db.Requests.Add(entity);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/requests/{entity.Id}", RequestDto.From(entity, firmName, today, true));
    }

    public static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, RequestUpdate request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var (r, firmName, refused) = await LoadForEditAsync(db, user, id, ct);
        if (refused is not null)
        {
            return refused;
        }

        var today = ShanghaiTime.Today(clock);
        if (request.Version is null)
        {
            return Problems.Field("version", Problems.VersionRequired);
        }

        if (request.Version != r!.Version)
        {
            return Problems.Conflict($"诉求已被修改：提交的版本为 {request.Version}，当前版本为 {r.Version}", RequestDto.From(r, firmName, today, true));
        }

        var errors = new Errors();
        await RequestRules.ValidateAsync(errors, string.Empty, request.Category, request.Description, request.Department, request.OwnerId, r.FirmId, db, reference, ct);
        if (r.IsClosed)
        {
            errors.Add("status", "诉求已办结，不能再修改 (closed)");
        }

        if (request.Status is { } status && !RequestRules.OpenStatuses.Contains(status))
        {
            errors.Add("status", "办结请使用 POST /api/requests/{id}/close (use close)");
        }

        if (request.Deadline is { } deadline && deadline < r.RaisedOn)
        {
            errors.Add("deadline", "办结期限不能早于提出日期");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        db.Entry(r).Property(x => x.Version).OriginalValue = request.Version.Value;
        r.Category = request.Category!;
        r.Description = request.Description!.Trim();
        r.Department = request.Department;
        r.OwnerId = request.OwnerId ?? r.OwnerId;
        r.Deadline = request.Deadline ?? r.Deadline;
        r.Status = request.Status ?? r.Status;
        return await SaveAsync(db, r, firmName, today, ct);
    }

    public static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> AddProgress(
        long id, ProgressCreate request, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (r, firmName, refused) = await LoadForEditAsync(db, user, id, ct);
        if (refused is not null)
        {
            return refused;
        }

        var today = ShanghaiTime.Today(clock);
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(request.Note))
        {
            errors.Add("note", "进展说明必填 (required)");
        }

        if (request.Status is { } status && !RequestRules.OpenStatuses.Contains(status))
        {
            errors.Add("status", "办结请使用 POST /api/requests/{id}/close (use close)");
        }

        var on = request.On ?? today;
        if (on > today || on < r!.RaisedOn)
        {
            errors.Add("on", "日期应在提出日期与今天之间");
        }

        if (r!.IsClosed)
        {
            errors.Add("status", "诉求已办结 (closed)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        r.Progress.Add(new RequestProgress { On = on, Note = request.Note!.Trim(), StatusAfter = request.Status, ById = user.UserId(), At = clock.GetUtcNow().UtcDateTime });
        if (request.Status is { } next)
        {
            r.Status = next;
        }
        else if (r.Status == RequestStatus.Open)
        {
            r.Status = RequestStatus.InProgress;
        }

        return await SaveAsync(db, r, firmName, today, ct);
    }

    /// <summary>Closing needs a resolution (what was done, or why it cannot be done); satisfaction is recorded after the follow-up call.</summary>
    public static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> Close(
        long id, RequestClose request, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (r, firmName, refused) = await LoadForEditAsync(db, user, id, ct);
        if (refused is not null)
        {
            return refused;
        }

        var today = ShanghaiTime.Today(clock);
        if (request.Version is { } version && version != r!.Version)
        {
            return Problems.Conflict($"诉求已被修改：提交的版本为 {version}，当前版本为 {r.Version}", RequestDto.From(r, firmName, today, true));
        }

        var errors = new Errors();
        if (request.Outcome is not (RequestStatus.Resolved or RequestStatus.CannotResolve))
        {
            errors.Add("outcome", "应为 resolved（已解决）或 cannot-resolve（无法解决）");
        }

        if (string.IsNullOrWhiteSpace(request.Resolution))
        {
            errors.Add("resolution", request.Outcome == RequestStatus.CannotResolve ? "无法解决须说明原因 (a reason is required)" : "办结须说明处理结果 (a resolution is required)");
        }

        var closedOn = request.ClosedOn ?? today;
        if (closedOn > today || closedOn < r!.RaisedOn)
        {
            errors.Add("closedOn", "办结日期应在提出日期与今天之间");
        }

        if (r!.IsClosed)
        {
            return Problems.Conflict("诉求已办结 (already closed)", RequestDto.From(r, firmName, today, true));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (request.Version is { } v)
        {
            db.Entry(r).Property(x => x.Version).OriginalValue = v;
        }

        r.Status = request.Outcome!.Value;
        r.Resolution = request.Resolution!.Trim();
        r.ClosedOn = closedOn;
        r.Satisfaction = request.Satisfaction;
        r.Progress.Add(new RequestProgress { On = closedOn, Note = r.Resolution, StatusAfter = r.Status, ById = user.UserId(), At = clock.GetUtcNow().UtcDateTime });
        return await SaveAsync(db, r, firmName, today, ct);
    }

    private static async Task<(FirmRequest? Request, string? FirmName, ProblemHttpResult? Refused)> LoadForEditAsync(
        CrmDbContext db, ClaimsPrincipal user, long id, CancellationToken ct)
    {
        var r = await db.Requests.Include(x => x.Progress).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null)
        {
            return (null, null, Problems.NotFound($"诉求 {id} 不存在 (request not found)"));
        }

        if (!await RequestRules.CanEditAsync(db, user, r, ct))
        {
            return (r, null, Problems.Forbidden("只有承办人、企业专员、科长或管理员可以处理该诉求"));
        }

        return (r, await db.Firms.Where(f => f.Id == r.FirmId).Select(f => f.Name).FirstAsync(ct), null);
    }

    private static async Task<Results<Ok<RequestDto>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        CrmDbContext db, FirmRequest r, string? firmName, DateOnly today, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Requests.AsNoTracking().Include(x => x.Progress).FirstAsync(x => x.Id == r.Id, ct);
            return Problems.Conflict("诉求已被他人修改，请刷新后重试", RequestDto.From(current, firmName, today, true));
        }

        return TypedResults.Ok(RequestDto.From(r, firmName, today, true));
    }
}
