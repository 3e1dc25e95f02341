using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Requests;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Visits;

/// <summary>
/// Any officer may log a visit to any firm: several offices visiting one firm is exactly what the record must show.
/// Editing a logged visit is for its officers, the firm's officers, supervisors and admins.
/// </summary>
public static class VisitsApi
{
    public static RouteGroupBuilder MapVisitsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/visits").WithTags("Visits");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        return api;
    }

    public static async Task<Results<Ok<VisitPage>, ValidationProblem>> List(
        long? firmId, long? officerId, DateOnly? from, DateOnly? to, string? status, int? page, int? pageSize, CrmDbContext db, CancellationToken ct)
    {
        var errors = new Errors();
        Paging.Validate(errors, page, pageSize);
        if (status is not null && !Json.TryParseEnum<VisitStatus>(status, out _))
        {
            errors.Add("status", $"取值应为 (one of): {Json.Allowed<VisitStatus>()}");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var visits = db.Visits.AsNoTracking();
        if (firmId is not null)
        {
            visits = visits.Where(v => v.FirmId == firmId);
        }

        if (officerId is not null)
        {
            visits = visits.Where(v => db.VisitOfficers.Where(o => o.UserId == officerId).Select(o => o.VisitId).Contains(v.Id));
        }

        if (from is not null)
        {
            visits = visits.Where(v => v.On >= from);
        }

        if (to is not null)
        {
            visits = visits.Where(v => v.On <= to);
        }

        if (Json.TryParseEnum<VisitStatus>(status, out var s))
        {
            visits = visits.Where(v => v.Status == s);
        }

        var (p, size) = Paging.Resolve(page, pageSize);
        var total = await visits.CountAsync(ct);
        var rows = await visits.OrderByDescending(v => v.On).ThenByDescending(v => v.Id).Skip((p - 1) * size).Take(size)
            .Include(v => v.Officers).Include(v => v.Contacts).AsSplitQuery().ToListAsync(ct);
        var firmIds = rows.Select(v => v.FirmId).Distinct().ToList();
        var names = await db.Firms.Where(f => firmIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, ct);
        return TypedResults.Ok(new VisitPage(rows.Select(v => VisitDto.From(v, names.GetValueOrDefault(v.FirmId))).ToList(), total, p, size));
    }

    public static async Task<Results<Ok<VisitDto>, ProblemHttpResult>> Get(long id, CrmDbContext db, CancellationToken ct)
    {
        var v = await db.Visits.AsNoTracking().Include(x => x.Officers).Include(x => x.Contacts).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (v is null)
        {
            return Problems.NotFound($"走访记录 {id} 不存在 (visit not found)");
        }

        var firmName = await db.Firms.Where(f => f.Id == v.FirmId).Select(f => f.Name).FirstAsync(ct);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.VisitId == id).OrderBy(t => t.Id).ToListAsync(ct);
        return TypedResults.Ok(VisitDto.From(v, firmName, tasks.Select(TaskDto.From).ToList()));
    }

    public static async Task<Results<Created<VisitDto>, ValidationProblem, ProblemHttpResult>> Create(
        VisitRequest request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, IOptions<CrmOptions> options, CancellationToken ct)
    {
        var me = user.UserId();
        var errors = await ValidateAsync(request, db, clock, ct);
        foreach (var (raised, i) in (request.RaisedRequests ?? []).Select((r, i) => (r, i)))
        {
            await RequestRules.ValidateAsync(errors, $"raisedRequests[{i}].", raised.Category, raised.Description, raised.Department, raised.OwnerId, request.FirmId, db, reference, ct);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var firm = await db.Firms.AsNoTracking().FirstAsync(f => f.Id == request.FirmId, ct);
        var visit = new Visit { FirmId = firm.Id, CreatedById = me };
        Apply(request, visit, me);
        db.Visits.Add(visit);
        var followUps = (request.FollowUps ?? []).Select(f => new FollowUpTask
        {
            FirmId = firm.Id,
            CaseId = f.CaseId,
            AssigneeId = f.AssigneeId ?? me,
            Title = f.Title!.Trim(),
            Kind = string.IsNullOrWhiteSpace(f.Kind) ? "follow-up" : f.Kind.Trim(),
            DueOn = f.DueOn!.Value,
            Status = FollowUpStatus.Open,
            CreatedById = me,
        }).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        foreach (var task in followUps)
        {
            task.VisitId = visit.Id;
        }

        db.Tasks.AddRange(followUps);
        var raisedRequests = new List<FirmRequest>();
        foreach (var raised in request.RaisedRequests ?? [])
        {
            raisedRequests.Add(await RequestRules.NewAsync(
                db, reference, firm.Id, visit.Id, RequestChannel.Visit, raised.Category!, raised.Description!, raised.Department,
                raised.OwnerId ?? me, visit.On, raised.Deadline, me, ct));
        }

        db.Requests.AddRange(raisedRequests);
        await db.SaveChangesAsync(ct);
        await UpdateCadenceAsync(db, visit, options.Value.Cadence, ct);
        await tx.CommitAsync(ct);
        var today = ShanghaiTime.Today(clock);
        return TypedResults.Created(
            $"/api/visits/{visit.Id}",
            VisitDto.From(visit, firm.Name, followUps.Select(TaskDto.From).ToList()) with
            {
                RaisedRequests = raisedRequests.Select(r => RequestDto.From(r, firm.Name, today, false)).ToList(),
            });
    }

    public static async Task<Results<Ok<VisitDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, VisitRequest request, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, IOptions<CrmOptions> options, CancellationToken ct)
    {
        var visit = await db.Visits.Include(v => v.Officers).Include(v => v.Contacts).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (visit is null)
        {
            return Problems.NotFound($"走访记录 {id} 不存在 (visit not found)");
        }

        var me = user.UserId();
        var firm = await db.Firms.AsNoTracking().FirstAsync(f => f.Id == visit.FirmId, ct);
        if (!user.IsManager() && visit.CreatedById != me && visit.Officers.All(o => o.UserId != me) && !await Firms.FirmAccess.CanEditAsync(db, user, firm.Id, ct))
        {
            return Problems.Forbidden("只有参与走访的专员、企业负责专员、科长或管理员可以修改走访记录");
        }

        if (request.Version is null)
        {
            return Problems.Field("version", Problems.VersionRequired);
        }

        if (request.Version != visit.Version)
        {
            return Problems.Conflict($"走访记录已被修改：提交的版本为 {request.Version}，当前版本为 {visit.Version}", VisitDto.From(visit, firm.Name));
        }

        var errors = await ValidateAsync(request with { FirmId = visit.FirmId, FollowUps = null }, db, clock, ct);
        if (request.FirmId is not null && request.FirmId != visit.FirmId)
        {
            errors.Add("firmId", "走访记录不能改到其他企业 (a visit cannot move to another firm)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        db.Entry(visit).Property(v => v.Version).OriginalValue = request.Version!.Value;
        Apply(request, visit, visit.CreatedById);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await RecomputeCadenceAsync(db, firm.Id, options.Value.Cadence, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Visits.AsNoTracking().Include(v => v.Officers).Include(v => v.Contacts).FirstAsync(v => v.Id == id, ct);
            return Problems.Conflict("走访记录已被他人修改，请刷新后重试", VisitDto.From(current, firm.Name));
        }

        return TypedResults.Ok(VisitDto.From(visit, firm.Name));
    }

    private static IQueryable<Domain.Users.User> Assignable(CrmDbContext db, long? firmId) =>
        firmId is { } id ? Users.UserDirectory.Assignable(db, id) : Users.UserDirectory.Assignable(db, (string?)null);

    private static async Task<Errors> ValidateAsync(VisitRequest r, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Errors();
        var today = ShanghaiTime.Today(clock);
        if (r.FirmId is null || !await db.Firms.AnyAsync(f => f.Id == r.FirmId && !f.IsArchived, ct))
        {
            errors.Add("firmId", "企业不存在或已归档 (unknown firm)");
        }

        if (r.Kind is null)
        {
            errors.Add("kind", $"必填 (required): {Json.Allowed<VisitKind>()}");
        }

        var status = r.Status ?? VisitStatus.Done;
        var on = r.On ?? (r.StartsAt is { } s ? ShanghaiTime.ToDate(s) : null);
        if (on is null)
        {
            errors.Add("on", "走访日期必填 (required)");
        }
        else if (status == VisitStatus.Done && on > today)
        {
            errors.Add("on", "已完成的走访日期不能晚于今天 (a done visit cannot be in the future)");
        }

        if (status == VisitStatus.Planned && r.StartsAt is null)
        {
            errors.Add("startsAt", "计划走访须填写开始时间，以便生成日历邀请 (a planned visit needs a start time)");
        }

        if (r.StartsAt is { } startsAt && r.On is { } date && ShanghaiTime.ToDate(startsAt) != date)
        {
            errors.Add("startsAt", "开始时间与走访日期不一致 (start time is on another date)");
        }

        if (r.DurationMinutes is < 1 or > 24 * 60)
        {
            errors.Add("durationMinutes", "时长应在1–1440分钟之间");
        }

        var officerIds = (r.OfficerIds ?? []).Distinct().ToList();
        if (officerIds.Count > 0)
        {
            var known = await Assignable(db, r.FirmId).Where(u => officerIds.Contains(u.Id)).CountAsync(ct);
            if (known != officerIds.Count)
            {
                errors.Add("officerIds", "包含不存在或已停用的专员 (unknown or inactive officer)");
            }
        }

        var contactIds = (r.ContactIds ?? []).Distinct().ToList();
        if (contactIds.Count > 0)
        {
            var known = await db.Contacts.Where(c => contactIds.Contains(c.Id) && c.FirmId == r.FirmId).CountAsync(ct);
            if (known != contactIds.Count)
            {
                errors.Add("contactIds", "联系人须属于该企业 (contacts must belong to the firm)");
            }
        }

        foreach (var (f, i) in (r.FollowUps ?? []).Select((f, i) => (f, i)))
        {
            if (string.IsNullOrWhiteSpace(f.Title))
            {
                errors.Add($"followUps[{i}].title", "跟进事项必填 (required)");
            }

            if (f.DueOn is null)
            {
                errors.Add($"followUps[{i}].dueOn", "截止日期必填 (required)");
            }

            if (f.AssigneeId is { } a && !await Assignable(db, r.FirmId).AnyAsync(u => u.Id == a, ct))
            {
                errors.Add($"followUps[{i}].assigneeId", $"用户 {a} 不存在或已停用");
            }

            if (f.CaseId is { } c && !await db.Cases.AnyAsync(x => x.Id == c && x.FirmId == r.FirmId, ct))
            {
                errors.Add($"followUps[{i}].caseId", "案件须属于该企业 (the case must belong to the firm)");
            }
        }

        return errors;
    }

    private static void Apply(VisitRequest r, Visit v, long creator)
    {
        v.Status = r.Status ?? VisitStatus.Done;
        v.Kind = r.Kind!.Value;
        v.On = r.On ?? ShanghaiTime.ToDate(r.StartsAt!.Value);
        v.StartsAt = r.StartsAt?.ToUniversalTime();
        v.DurationMinutes = r.DurationMinutes;
        v.Location = string.IsNullOrWhiteSpace(r.Location) ? null : r.Location.Trim();
        v.Summary = r.Summary?.Trim();
        v.Requests = string.IsNullOrWhiteSpace(r.Requests) ? null : r.Requests.Trim();
        var officers = (r.OfficerIds ?? []).Append(creator).Distinct().ToList();
        v.Officers.RemoveAll(o => !officers.Contains(o.UserId));
        v.Officers.AddRange(officers.Where(o => v.Officers.All(x => x.UserId != o)).Select(o => new VisitOfficer { UserId = o }));
        var contacts = (r.ContactIds ?? []).Distinct().ToList();
        v.Contacts.RemoveAll(c => !contacts.Contains(c.ContactId));
        v.Contacts.AddRange(contacts.Where(c => v.Contacts.All(x => x.ContactId != c)).Select(c => new VisitContact { ContactId = c }));
    }

    /// <summary>Done visits of the resetting kinds (on-site and meetings by default) restart the firm's visit cadence.</summary>
    public static bool ResetsCadence(Visit v, CadenceOptions cadence) =>
        v.Status == VisitStatus.Done && cadence.ResettingKinds.Contains(Json.EnumText(v.Kind));

    // The last-visit date is the system's, not a person's: it is written by a set-based UPDATE that leaves the firm's
    // version alone, so a visit never fails on a firm being edited and never makes an officer's open edit stale.
    private static async Task UpdateCadenceAsync(CrmDbContext db, Visit v, CadenceOptions cadence, CancellationToken ct)
    {
        if (ResetsCadence(v, cadence))
        {
            var on = v.On;
            await db.Firms.Where(f => f.Id == v.FirmId && (f.LastVisitOn == null || f.LastVisitOn < on))
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastVisitOn, on), ct);
        }
    }

    private static async Task RecomputeCadenceAsync(CrmDbContext db, long firmId, CadenceOptions cadence, CancellationToken ct)
    {
        var kinds = Enum.GetValues<VisitKind>().Where(k => cadence.ResettingKinds.Contains(Json.EnumText(k))).ToList();
        await db.Firms.Where(f => f.Id == firmId).ExecuteUpdateAsync(
            s => s.SetProperty(
                f => f.LastVisitOn,
                f => db.Visits.Where(v => v.FirmId == f.Id && v.Status == VisitStatus.Done && kinds.Contains(v.Kind)).Max(v => (DateOnly?)v.On)),
            ct);
    }
}
