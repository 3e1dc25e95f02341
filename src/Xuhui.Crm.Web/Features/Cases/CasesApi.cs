using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Cases;

public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/firms/{firmId:long}/cases", Create).WithTags("Cases").RequireAuthorization(Policies.Writer);
        api.MapGet("/firms/{firmId:long}/cases", ForFirm).WithTags("Cases");
        var group = api.MapGroup("/cases").WithTags("Cases");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/transitions", Transition).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}/certificate", Certificate).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/annual-reports", AnnualReport).RequireAuthorization(Policies.Writer);
        return api;
    }

    public static async Task<Results<Ok<CasePage>, ValidationProblem>> List(
        string? program, string? stage, long? ownerId, bool? open, long? firmId, int? page, int? pageSize,
        CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Errors();
        if (program is not null && reference.Programs.Find(program) is null)
        {
            errors.Add("program", $"未知项目 (unknown programme): {program}");
        }

        Paging.Validate(errors, page, pageSize);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var cases = db.Cases.AsNoTracking();
        if (program is not null)
        {
            cases = cases.Where(c => c.Program == program);
        }

        if (stage is not null)
        {
            cases = cases.Where(c => c.Stage == stage);
        }

        if (ownerId is not null)
        {
            cases = cases.Where(c => c.OwnerId == ownerId);
        }

        if (open is not null)
        {
            cases = cases.Where(c => c.IsOpen == open);
        }

        if (firmId is not null)
        {
            cases = cases.Where(c => c.FirmId == firmId);
        }

        var (p, size) = Paging.Resolve(page, pageSize);
        var total = await cases.CountAsync(ct);
        var rows = await cases.OrderBy(c => c.StageSince).ThenBy(c => c.Id).Skip((p - 1) * size).Take(size)
            .Select(c => new { Case = c, FirmName = c.Firm!.Name }).ToListAsync(ct);
        var today = ShanghaiTime.Today(clock);
        return TypedResults.Ok(new CasePage(
            rows.Select(r => CaseDto.From(r.Case, r.FirmName, reference.Programs, today, withHistory: false)).ToList(), total, p, size));
    }

    public static async Task<Results<Ok<List<CaseDto>>, ProblemHttpResult>> ForFirm(
        long firmId, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var firmName = await db.Firms.Where(f => f.Id == firmId).Select(f => f.Name).FirstOrDefaultAsync(ct);
        if (firmName is null)
        {
            return Problems.NotFound($"企业 {firmId} 不存在 (firm not found)");
        }

        var today = ShanghaiTime.Today(clock);
        var cases = await db.Cases.AsNoTracking().Include(c => c.Transitions).Include(c => c.AnnualReports)
            .Where(c => c.FirmId == firmId).OrderBy(c => c.Program).ThenByDescending(c => c.OpenedOn).AsSplitQuery().ToListAsync(ct);
        return TypedResults.Ok(cases.Select(c => CaseDto.From(c, firmName, reference.Programs, today, withHistory: true)).ToList());
    }

    public static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> Get(
        long id, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var c = await Load(db, id, tracking: false, ct);
        return c is null
            ? Problems.NotFound($"案件 {id} 不存在 (case not found)")
            : TypedResults.Ok(CaseDto.From(c, c.Firm?.Name, reference.Programs, ShanghaiTime.Today(clock), withHistory: true));
    }

    public static async Task<Results<Created<CaseDto>, ValidationProblem, ProblemHttpResult>> Create(
        long firmId, CreateCaseRequest request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var firm = await db.Firms.Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == firmId, ct);
        if (firm is null)
        {
            return Problems.NotFound($"企业 {firmId} 不存在 (firm not found)");
        }

        if (!await FirmAccess.CanEditAsync(db, user, firm, ct))
        {
            return Problems.Forbidden("只有该企业的专员、科长或管理员可以新建案件");
        }

        var errors = new Errors();
        var program = reference.Programs.Find(request.Program);
        var today = ShanghaiTime.Today(clock);
        if (program is null)
        {
            errors.Add("program", $"未知项目，应为 (one of): {string.Join(", ", reference.Programs.Programs.Select(p => p.Code))}");
        }
        else if (string.IsNullOrEmpty(request.Stage) || !program.IsInitial(request.Stage))
        {
            errors.Add("stage", $"新案件的起始阶段应为 (initial stage one of): {string.Join("、", program.InitialStages.Select(program.Describe))}");
        }

        var ownerId = request.OwnerId ?? user.UserId();
        if (ownerId != user.UserId() && !user.IsManager())
        {
            errors.Add("ownerId", "专员只能为自己新建案件 (officers own the cases they open)");
        }
        else if (!await Users.UserDirectory.Assignable(db, firm.DistrictCode).AnyAsync(u => u.Id == ownerId, ct))
        {
            errors.Add("ownerId", $"用户 {ownerId} 不存在、已停用或无权负责案件");
        }

        var on = request.On ?? today;
        if (on > today)
        {
            errors.Add("on", "日期不能晚于今天 (must not be in the future)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var open = program!.FindStage(request.Stage)!.Open;
        if (open && await db.Cases.AnyAsync(c => c.FirmId == firmId && c.Program == program.Code && c.IsOpen, ct))
        {
            return Problems.Conflict($"该企业在「{program.NameZh}」已有进行中的案件；同一项目同时只能有一个进行中的案件");
        }

        var entity = new Case
        {
            FirmId = firmId,
            Program = program.Code,
            Stage = request.Stage!,
            IsOpen = open,
            StageSince = on,
            OpenedOn = on,
            ClosedOn = open ? null : on,
            OwnerId = ownerId,
        };
        entity.Transitions.Add(new CaseTransition
        {
            FromStage = null,
            ToStage = entity.Stage,
            On = on,
            Note = request.Note,
            ById = user.UserId(),
            At = clock.GetUtcNow().UtcDateTime,
        });
        db.Cases.Add(entity);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (open)
        {
            // The filtered unique index caught a concurrent open case.
            return Problems.Conflict($"该企业在「{program.NameZh}」已有进行中的案件");
        }

        return TypedResults.Created($"/api/cases/{entity.Id}", CaseDto.From(entity, firm.Name, reference.Programs, today, withHistory: true));
    }

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> Transition(
        long id, TransitionRequest request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var c = await Load(db, id, tracking: true, ct);
        if (c is null)
        {
            return Problems.NotFound($"案件 {id} 不存在 (case not found)");
        }

        if (!CanEdit(user, c.OwnerId))
        {
            return Problems.Forbidden("只有案件负责人、科长或管理员可以变更阶段");
        }

        var today = ShanghaiTime.Today(clock);
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(request.FromStage))
        {
            errors.Add("fromStage", "必填：请求须说明期望从哪个阶段变更 (required)");
        }

        if (string.IsNullOrWhiteSpace(request.ToStage))
        {
            errors.Add("toStage", "必填 (required)");
        }

        var on = request.On ?? today;
        if (on > today)
        {
            errors.Add("on", "日期不能晚于今天 (must not be in the future)");
        }
        else if (on < c.StageSince)
        {
            errors.Add("on", $"日期不能早于当前阶段的开始日期 {c.StageSince:yyyy-MM-dd}");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var check = reference.Programs.CheckTransition(c.Program, request.FromStage!, c.Stage, request.ToStage!);
        var program = reference.Programs.Get(c.Program);
        var current = CaseDto.From(c, c.Firm?.Name, reference.Programs, today, withHistory: true);
        switch (check.Status)
        {
            case TransitionStatus.Stale:
                return Problems.Conflict(check.Message, current);
            case TransitionStatus.UnknownStage:
            case TransitionStatus.Forbidden:
            case TransitionStatus.UnknownProgram:
                return Problems.Field("toStage", check.Message);
        }

        if (c.Stage == "suspended")
        {
            var suspendedFrom = c.Transitions.Where(t => t.ToStage == "suspended").OrderByDescending(t => t.Id).Select(t => t.FromStage).FirstOrDefault();
            var target = program.FindStage(request.ToStage)!;
            if (target.Outcome is null && suspendedFrom is not null && request.ToStage != suspendedFrom)
            {
                return Problems.Field("toStage", $"中止的案件只能恢复到中止前的阶段 {program.Describe(suspendedFrom)}，不能恢复到 {program.Describe(request.ToStage!)}");
            }
        }

        var to = program.FindStage(request.ToStage)!;
        c.Transitions.Add(new CaseTransition
        {
            FromStage = c.Stage,
            ToStage = to.Code,
            On = on,
            Note = request.Note,
            ById = user.UserId(),
            At = clock.GetUtcNow().UtcDateTime,
        });
        c.Stage = to.Code;
        c.StageSince = on;
        c.IsOpen = to.Open;
        c.ClosedOn = to.Open ? null : c.ClosedOn ?? on;
        if (c.Program == ProgramCatalog.ForeignRdCenter && to.Code == "recognized")
        {
            c.RecognizedOn ??= on;
        }

        return await SaveAsync(db, c, reference, today, ct);
    }

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> Certificate(
        long id, CertificateRequest request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        if (request.Version is null)
        {
            return Problems.Field("version", Problems.VersionRequired);
        }

        var today = ShanghaiTime.Today(clock);
        var (c, refused) = await LoadForEditAsync(db, user, id, request.Version.Value, "只有案件负责人、科长或管理员可以维护证书", reference, today, ct);
        if (refused is not null)
        {
            return refused;
        }

        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(request.Number))
        {
            errors.Add("number", "证书编号必填 (required)");
        }

        if (request.IssuedOn is null)
        {
            errors.Add("issuedOn", "发证日期必填 (required)");
        }

        var expires = request.ExpiresOn ?? (c.Program == ProgramCatalog.Hnte && request.IssuedOn is { } issued ? Case.DefaultHnteExpiry(issued) : null);
        if (expires is not null && request.IssuedOn is not null && expires <= request.IssuedOn)
        {
            errors.Add("expiresOn", "有效期截止日应晚于发证日期 (must be after the issue date)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        c.CertificateNumber = request.Number!.Trim();
        c.CertificateIssuedOn = request.IssuedOn;
        c.CertificateExpiresOn = expires;
        return await SaveAsync(db, c, reference, today, ct);
    }

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CaseUpdateRequest request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        if (request.Version is null)
        {
            return Problems.Field("version", Problems.VersionRequired);
        }

        var today = ShanghaiTime.Today(clock);
        var (c, refused) = await LoadForEditAsync(db, user, id, request.Version.Value, "只有案件负责人、科长或管理员可以修改案件", reference, today, ct);
        if (refused is not null)
        {
            return refused;
        }

        var errors = new Errors();
        var ownerId = request.OwnerId ?? c.OwnerId;
        if (ownerId != c.OwnerId && !user.IsManager())
        {
            errors.Add("ownerId", "只有科长或管理员可以更换案件负责人");
        }
        else if (ownerId != c.OwnerId && !await Users.UserDirectory.Assignable(db, c.FirmId).AnyAsync(u => u.Id == ownerId, ct))
        {
            errors.Add("ownerId", $"用户 {ownerId} 不存在、已停用或无权负责案件");
        }

        if (request.LittleGiantTier is not null && !CaseRules.LittleGiantTiers.Contains(request.LittleGiantTier))
        {
            errors.Add("littleGiantTier", $"取值应为 (one of): {string.Join(", ", CaseRules.LittleGiantTiers)}");
        }

        if (request.RdCenterType is not null && !CaseRules.RdCenterTypes.Contains(request.RdCenterType))
        {
            errors.Add("rdCenterType", $"取值应为 (one of): {string.Join(", ", CaseRules.RdCenterTypes)}");
        }

        if (request.TargetBoard is not null && !CaseRules.Boards.Contains(request.TargetBoard))
        {
            errors.Add("targetBoard", $"取值应为 (one of): {string.Join(", ", CaseRules.Boards)}");
        }

        if (request.EvaluationScore is < 0 or > 100)
        {
            errors.Add("evaluationScore", "评分应在0–100之间");
        }

        if (request.ProjectStartOn is not null && request.ProjectEndOn is not null && request.ProjectEndOn <= request.ProjectStartOn)
        {
            errors.Add("projectEndOn", "项目结束日期应晚于开始日期");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        c.OwnerId = ownerId;
        c.LittleGiantTier = request.LittleGiantTier;
        c.Cohort = request.Cohort;
        c.ProjectStartOn = request.ProjectStartOn;
        // The little-giant project period is two years unless the approval says otherwise.
        c.ProjectEndOn = request.ProjectEndOn ?? request.ProjectStartOn?.AddYears(2).AddDays(-1);
        c.EvaluationScore = request.EvaluationScore;
        c.EvaluationGrade = CaseRules.Grade(request.EvaluationScore);
        c.RdCenterType = request.RdCenterType;
        c.RecognizedOn = request.RecognizedOn;
        c.TargetBoard = request.TargetBoard;
        c.Sponsor = string.IsNullOrWhiteSpace(request.Sponsor) ? null : request.Sponsor.Trim();
        c.FiledOn = request.FiledOn;
        return await SaveAsync(db, c, reference, today, ct);
    }

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> AnnualReport(
        long id, AnnualReportRequest request, ClaimsPrincipal user, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        var c = await Load(db, id, tracking: true, ct);
        if (c is null)
        {
            return Problems.NotFound($"案件 {id} 不存在 (case not found)");
        }

        if (!CanEdit(user, c.OwnerId))
        {
            return Problems.Forbidden("只有案件负责人、科长或管理员可以登记年报");
        }

        var today = ShanghaiTime.Today(clock);
        var errors = new Errors();
        if (c.Program != ProgramCatalog.Hnte)
        {
            errors.Add("program", "只有高新技术企业案件需要报送年度发展情况报表");
        }

        if (request.Year is null || request.Year < 2000 || request.Year > today.Year)
        {
            errors.Add("year", "年度无效 (invalid year)");
        }

        var filedOn = request.FiledOn ?? today;
        if (filedOn > today)
        {
            errors.Add("filedOn", "日期不能晚于今天");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var existing = c.AnnualReports.FirstOrDefault(a => a.Year == request.Year);
        if (existing is null)
        {
            c.AnnualReports.Add(new AnnualReportFiling { Year = request.Year!.Value, FiledOn = filedOn });
        }
        else
        {
            existing.FiledOn = filedOn;
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseDto.From(c, c.Firm?.Name, reference.Programs, today, withHistory: true));
    }

    /// <summary>Loads a case to change it: 404 when absent, 403 when not the caller's to edit, 409 with the current case when stale.</summary>
    private static async Task<(Case Case, ProblemHttpResult? Refused)> LoadForEditAsync(
        CrmDbContext db, ClaimsPrincipal user, long id, int version, string forbidden, ReferenceData reference, DateOnly today, CancellationToken ct)
    {
        var c = await Load(db, id, tracking: true, ct);
        if (c is null)
        {
            return (null!, Problems.NotFound($"案件 {id} 不存在 (case not found)"));
        }

        if (!CanEdit(user, c.OwnerId))
        {
            return (c, Problems.Forbidden(forbidden));
        }

        if (version != c.Version)
        {
            return (c, Problems.Conflict($"案件已被修改：提交的版本为 {version}，当前版本为 {c.Version}", CaseDto.From(c, c.Firm?.Name, reference.Programs, today, true)));
        }

        db.Entry(c).Property(x => x.Version).OriginalValue = version;
        return (c, null);
    }

    /// <summary>Saves; a concurrent change caught by the version token becomes a 409 with the current case.</summary>
    private static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        CrmDbContext db, Case c, ReferenceData reference, DateOnly today, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ConflictAsync(db, c.Id, reference, today, ct);
        }

        return TypedResults.Ok(CaseDto.From(c, c.Firm?.Name, reference.Programs, today, withHistory: true));
    }

    private static Task<Case?> Load(CrmDbContext db, long id, bool tracking, CancellationToken ct)
    {
        var query = db.Cases.Include(c => c.Firm).Include(c => c.Transitions).Include(c => c.AnnualReports).AsSplitQuery();
        return (tracking ? query : query.AsNoTracking()).FirstOrDefaultAsync(c => c.Id == id, ct);
    }

    /// <summary>
    /// Case owners, supervisors and admins edit a case; an officer edits the cases they own, not the firm's other
    /// cases (a co-officer or the lead officer of the firm included): who owns a case is a supervisor's assignment.
    /// </summary>
    public static bool CanEdit(ClaimsPrincipal user, long ownerId) =>
        user.IsManager() || (user.CanWrite() && ownerId == user.UserId());

    private static async Task<ProblemHttpResult> ConflictAsync(CrmDbContext db, long id, ReferenceData reference, DateOnly today, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var current = await Load(db, id, tracking: false, ct);
        return Problems.Conflict("案件已被他人修改，请刷新后重试", CaseDto.From(current!, current!.Firm?.Name, reference.Programs, today, true));
    }
}
