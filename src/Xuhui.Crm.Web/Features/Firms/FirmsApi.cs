using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Hnte;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Contacts;

namespace Xuhui.Crm.Web.Features.Firms;

public static class FirmsApi
{
    public static RouteGroupBuilder MapFirmsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/firms").WithTags("Firms");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapDelete("/{id:long}", Archive).RequireAuthorization(Policies.Writer);
        group.MapGet("/{id:long}/audit", Audit);
        group.MapGet("/{id:long}/hnte-check", HnteCheckFor);
        group.MapGet("/{id:long}/status-changes", StatusChanges);
        group.MapPost("/{id:long}/status-changes", AddStatusChange).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/transfer", FirmTransfer.Transfer).RequireAuthorization(Policies.Manager);
        return api;
    }

    public static async Task<Results<Ok<FirmPage>, ValidationProblem>> List(
        [AsParameters] FirmQuery query,
        FirmSearch search,
        CancellationToken ct)
    {
        var errors = query.Validate();
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await search.SearchAsync(query, ct));
    }

    /// <summary>
    /// Compiled once: firm detail is among the most frequent requests (issue 8). One statement projects the columns the
    /// DTO shows with the financials and the co-officers (as one column); no entity is materialised. Read as a sequence
    /// (the key matches one firm at most), not FirstOrDefault: that wraps the firm in a LIMIT 1 derived table of all its
    /// columns before joining the financials, which SQLite re-flattens on every prepare.
    /// </summary>
    private static readonly Func<CrmDbContext, long, IAsyncEnumerable<FirmColumns>> FirmWithDetails =
        EF.CompileAsyncQuery((CrmDbContext db, long id) => db.Firms.AsNoTracking().Where(f => f.Id == id).Select(FirmColumns.WithDetails));

    public static async Task<Results<Ok<FirmDto>, RedirectHttpResult, ProblemHttpResult>> Get(long id, CrmDbContext db, IOptions<CrmOptions> options, CancellationToken ct)
    {
        FirmColumns? firm = null;
        await foreach (var row in FirmWithDetails(db, id).WithCancellation(ct))
        {
            firm = row;
        }

        // A firm merged into another answers with a permanent redirect to the survivor (if the caller's district sees it).
        // A merge archives the duplicate and nothing un-archives a firm, so a visible firm that is not archived was
        // never merged: only a missing or archived one needs the merge lookup (one query fewer on the common path).
        if ((firm is null || firm.IsArchived) && await FirmMergeApi.VisibleSurvivorAsync(db, id, ct) is { } survivor)
        {
            return TypedResults.Redirect($"/api/firms/{survivor}", permanent: true, preserveMethod: true);
        }

        return firm is null
            ? Problems.NotFound($"企业 {id} 不存在 (firm not found)")
            : TypedResults.Ok(FirmDto.From(firm, firm.CoOfficerIds(), options.Value.Cadence, firm.Financials ?? []));
    }

    public static async Task<Results<Created<FirmDto>, ValidationProblem, ProblemHttpResult>> Create(
        FirmDto request,
        ClaimsPrincipal user,
        CrmDbContext db,
        ReferenceData reference,
        TimeProvider clock,
        IOptions<CrmOptions> options,
        CancellationToken ct)
    {
        var district = ResolveDistrict(request, db, reference, options.Value, out var districtError);
        var errors = FirmValidation.Validate(request, reference, FirmValidation.ZoneDistrict(options.Value, district ?? string.Empty));
        if (districtError is not null)
        {
            errors.Add("district", districtError);
        }

        var me = user.UserId();
        var leadId = request.LeadOfficerId ?? (user.IsInRole(Roles.Officer) ? me : null);
        if (!user.IsManager() && leadId != me)
        {
            errors.Add("leadOfficerId", "专员新建企业时只能指定本人为负责人 (officers create firms for themselves)");
        }

        await CheckOfficersAsync(db, errors, district ?? string.Empty, leadId, request.CoOfficerIds, ct);
        var code = string.IsNullOrWhiteSpace(request.CreditCode) ? null : CreditCode.Normalize(request.CreditCode);
        if (!errors.Any && code is not null && await db.Firms.AnyAsync(f => f.CreditCode == code, ct))
        {
            var existing = await db.Firms.Where(f => f.CreditCode == code).Select(f => new { f.Id, f.Name }).FirstAsync(ct);
            errors.Add("creditCode", $"该统一社会信用代码已登记为企业 {existing.Id}「{existing.Name}」 (already registered)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var today = ShanghaiTime.Today(clock);
        var firm = new Firm { LeadOfficerId = leadId, AssignedOn = leadId is null ? null : today, Status = request.Status };
        FirmValidation.Apply(request, firm);
        firm.DistrictCode = district!;
        firm.DistrictName = reference.DistrictName(firm.DistrictCode);

        firm.CoOfficers = request.CoOfficerIds.Distinct().Where(id => id != leadId).Select(id => new FirmOfficer { UserId = id }).ToList();
        firm.Financials = (request.Financials ?? []).Select(ToEntity).ToList();
        firm.StatusChanges.Add(new FirmStatusChange
        {
            Status = request.Status,
            EffectiveOn = request.EstablishedOn is { } est && est <= today && request.Status == FirmStatus.Active ? est : today,
            Note = "登记 (registered in the system)",
            RecordedById = me,
            RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        db.Firms.Add(firm);
        await db.SaveChangesAsync(ct);
        var dto = FirmDto.From(firm, firm.CoOfficers.Select(o => o.UserId), options.Value.Cadence, withFinancials: true);
        return TypedResults.Created($"/api/firms/{firm.Id}", dto);
    }

    public static async Task<Results<Ok<FirmDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id,
        FirmDto request,
        ClaimsPrincipal user,
        CrmDbContext db,
        ReferenceData reference,
        TimeProvider clock,
        IOptions<CrmOptions> options,
        CancellationToken ct)
    {
        var firm = await db.Firms.Include(f => f.Financials).Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (firm is null)
        {
            return Problems.NotFound($"企业 {id} 不存在 (firm not found)");
        }

        var cadence = options.Value.Cadence;
        if (!await FirmAccess.CanEditAsync(db, user, firm, ct))
        {
            return Problems.Forbidden("只有该企业的负责专员、协办专员、科长或管理员可以修改 (only the firm's officers, supervisors and admins)");
        }

        if (request.Version != firm.Version)
        {
            return Problems.Conflict(
                $"企业已被修改：提交的版本为 {request.Version}，当前版本为 {firm.Version} (stale version)",
                FirmDto.From(firm, firm.CoOfficers.Select(o => o.UserId), cadence, withFinancials: true));
        }

        // Who works on the firm is a supervisor's assignment: a co-officer edits the firm's facts, not its team. The lead
        // officer still seats and unseats co-officers (as before), but cannot hand the firm on (400 below).
        var me = user.UserId();
        if (!user.IsManager() && firm.LeadOfficerId != me
            && (request.LeadOfficerId != firm.LeadOfficerId || !SameOfficers(firm, request.CoOfficerIds)))
        {
            return Problems.Forbidden("只有负责专员、科长或管理员可以调整协办专员，只有科长或管理员可以更换负责专员 (co-officers do not reassign the firm)");
        }

        var errors = FirmValidation.Validate(request, reference, FirmValidation.ZoneDistrict(options.Value, firm.DistrictCode));
        if (request.District is not null && request.District != firm.DistrictCode)
        {
            errors.Add("district", $"企业所属区不能修改，迁移请用 POST /api/firms/{id}/transfer (a district changes by transfer only)");
        }

        if (request.LeadOfficerId != firm.LeadOfficerId && !user.IsManager())
        {
            errors.Add("leadOfficerId", "只有科长或管理员可以更换负责专员 (only supervisors assign firms)");
        }

        await CheckOfficersAsync(db, errors, firm.DistrictCode, request.LeadOfficerId, request.CoOfficerIds, ct);
        var code = string.IsNullOrWhiteSpace(request.CreditCode) ? null : CreditCode.Normalize(request.CreditCode);
        if (!errors.Any && code is not null && await db.Firms.AnyAsync(f => f.CreditCode == code && f.Id != id, ct))
        {
            errors.Add("creditCode", "该统一社会信用代码已登记为其他企业 (already registered to another firm)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        db.Entry(firm).Property(f => f.Version).OriginalValue = request.Version;
        FirmValidation.Apply(request, firm);
        var today = ShanghaiTime.Today(clock);
        if (request.LeadOfficerId != firm.LeadOfficerId)
        {
            firm.LeadOfficerId = request.LeadOfficerId;
            firm.AssignedOn = request.LeadOfficerId is null ? null : today;
        }

        SyncCoOfficers(db, firm, request.CoOfficerIds);
        if (request.Financials is not null)
        {
            SyncFinancials(firm, request.Financials);
        }

        if (request.Status != firm.Status)
        {
            firm.Status = request.Status;
            firm.StatusChanges.Add(new FirmStatusChange
            {
                Status = request.Status,
                EffectiveOn = today,
                RecordedById = user.UserId(),
                RecordedAt = clock.GetUtcNow().UtcDateTime,
            });
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ConflictWithCurrentAsync(db, id, cadence, ct);
        }

        return TypedResults.Ok(FirmDto.From(firm, firm.CoOfficers.Select(o => o.UserId), cadence, withFinancials: true));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Archive(long id, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        var firm = await db.Firms.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (firm is null)
        {
            return Problems.NotFound($"企业 {id} 不存在 (firm not found)");
        }

        if (!user.IsManager() && firm.LeadOfficerId != user.UserId())
        {
            return Problems.Forbidden("只有负责专员、科长或管理员可以归档企业 (only the lead officer, supervisors and admins archive)");
        }

        firm.IsArchived = true;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<AuditEntryDto>>, ProblemHttpResult>> Audit(long id, ClaimsPrincipal user, CrmDbContext db, int? limit, CancellationToken ct)
    {
        if (!await db.Firms.AnyAsync(f => f.Id == id, ct))
        {
            return Problems.NotFound($"企业 {id} 不存在 (firm not found)");
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

        return TypedResults.Ok(entries);
    }

    public static async Task<Results<Ok<HnteCheckResult>, ProblemHttpResult>> HnteCheckFor(long id, DateOnly? asOf, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var firm = await db.Firms.AsNoTracking().Include(f => f.Financials).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (firm is null)
        {
            return Problems.NotFound($"企业 {id} 不存在 (firm not found)");
        }

        var facts = new HnteFacts(
            firm.EstablishedOn,
            firm.Headcount,
            firm.RdHeadcount,
            firm.Financials.OrderBy(f => f.Year)
                .Select(f => new YearFinancials(f.Year, f.SalesRevenue, f.RdExpense, f.RdExpenseInChina, f.HighTechRevenue, f.TotalRevenue))
                .ToList(),
            firm.InventionPatents,
            firm.CoreIpCount,
            firm.TechField,
            firm.InnovationScore);
        return TypedResults.Ok(HnteCheck.Evaluate(facts, asOf ?? ShanghaiTime.Today(clock)));
    }

    public static async Task<Results<Ok<List<StatusChangeDto>>, ProblemHttpResult>> StatusChanges(long id, CrmDbContext db, CancellationToken ct)
    {
        if (!await db.Firms.AnyAsync(f => f.Id == id, ct))
        {
            return Problems.NotFound($"企业 {id} 不存在 (firm not found)");
        }

        return TypedResults.Ok(await db.FirmStatusChanges.AsNoTracking().Where(s => s.FirmId == id)
            .OrderBy(s => s.EffectiveOn).ThenBy(s => s.Id)
            .Select(s => new StatusChangeDto(s.Id, s.Status, s.EffectiveOn, s.Note, s.RecordedById, s.RecordedAt))
            .ToListAsync(ct));
    }

    public static async Task<Results<Created<StatusChangeDto>, ValidationProblem, ProblemHttpResult>> AddStatusChange(
        long id,
        StatusChangeRequest request,
        ClaimsPrincipal user,
        CrmDbContext db,
        TimeProvider clock,
        CancellationToken ct)
    {
        var firm = await db.Firms.Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (firm is null)
        {
            return Problems.NotFound($"企业 {id} 不存在 (firm not found)");
        }

        if (!await FirmAccess.CanEditAsync(db, user, firm, ct))
        {
            return Problems.Forbidden("只有该企业的专员、科长或管理员可以变更状态");
        }

        var errors = new Errors();
        if (request.Status is null)
        {
            errors.Add("status", $"必填 (required): {Json.Allowed<FirmStatus>()}");
        }

        if (request.EffectiveOn is null)
        {
            errors.Add("effectiveOn", "必填 (required)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var change = new FirmStatusChange
        {
            FirmId = id,
            Status = request.Status!.Value,
            EffectiveOn = request.EffectiveOn!.Value,
            Note = request.Note,
            RecordedById = user.UserId(),
            RecordedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.FirmStatusChanges.Add(change);
        var latest = await db.FirmStatusChanges.Where(s => s.FirmId == id).OrderByDescending(s => s.EffectiveOn).ThenByDescending(s => s.Id)
            .Select(s => new { s.EffectiveOn }).FirstOrDefaultAsync(ct);
        if (latest is null || change.EffectiveOn >= latest.EffectiveOn)
        {
            firm.Status = change.Status;
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Created(
            $"/api/firms/{id}/status-changes",
            new StatusChangeDto(change.Id, change.Status, change.EffectiveOn, change.Note, change.RecordedById, change.RecordedAt));
    }

    private static Domain.Auditing.AuditChange MaskContactChange(Domain.Auditing.AuditChange c) => c.Field switch
    {
        nameof(Contact.Phone) => c with { Old = Mask.Phone(c.Old), New = Mask.Phone(c.New) },
        nameof(Contact.Email) => c with { Old = Mask.Email(c.Old), New = Mask.Email(c.New) },
        nameof(Contact.WeChat) => c with { Old = Mask.Text(c.Old), New = Mask.Text(c.New) },
        _ => c,
    };

    internal static async Task<ProblemHttpResult> ConflictWithCurrentAsync(CrmDbContext db, long id, CadenceOptions cadence, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var current = await db.Firms.AsNoTracking().Include(f => f.Financials).Include(f => f.CoOfficers).FirstAsync(f => f.Id == id, ct);
        return Problems.Conflict(
            "企业已被他人修改，请刷新后重试 (modified by someone else)",
            FirmDto.From(current, current.CoOfficers.Select(o => o.UserId), cadence, withFinancials: true));
    }

    private static async Task CheckOfficersAsync(CrmDbContext db, Errors errors, string district, long? leadId, List<long> coOfficerIds, CancellationToken ct)
    {
        var ids = coOfficerIds.Append(leadId ?? 0).Where(i => i != 0).Distinct().ToList();
        var found = await Users.UserDirectory.Assignable(db, district).Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
        if (leadId is not null && !found.Contains(leadId.Value))
        {
            errors.Add("leadOfficerId", $"用户 {leadId} 不存在、已停用或无权负责企业 (unknown or inactive officer)");
        }

        foreach (var missing in coOfficerIds.Where(i => !found.Contains(i)).Distinct())
        {
            errors.Add("coOfficerIds", $"用户 {missing} 不存在、已停用或无权负责企业 (unknown or inactive officer)");
        }
    }

    /// <summary>
    /// The district a new firm is in, decided by the server. One district: the deployment's (Crm:District). Several: a
    /// district user's own; a city admin names one of the reference list's districts. A body may leave it out or repeat
    /// the server's choice; any other value is refused (the name always comes from the reference data).
    /// </summary>
    public static string? ResolveDistrict(FirmDto request, CrmDbContext db, ReferenceData reference, CrmOptions options, out string? error)
    {
        error = null;
        var decided = !options.MultiDistrict ? options.District : db.District;
        if (decided is not null)
        {
            if (request.District is { } named && named != decided)
            {
                error = $"企业只能登记在{reference.DistrictName(decided)}（{decided}） (the firm's district is {decided})";
            }

            return decided;
        }

        if (request.District is not { } chosen || !reference.IsDistrict(chosen))
        {
            error = "区划代码不在上海市 16 个区之列 (not one of Shanghai's districts)";
            return null;
        }

        return chosen;
    }

    private static bool SameOfficers(Firm firm, List<long> wanted) =>
        wanted.Distinct().Where(i => i != firm.LeadOfficerId).Order().SequenceEqual(firm.CoOfficers.Select(o => o.UserId).Order());

    private static void SyncCoOfficers(CrmDbContext db, Firm firm, List<long> wanted)
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

    private static void SyncFinancials(Firm firm, List<FinancialDto> wanted)
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

    private static FirmFinancial ToEntity(FinancialDto w) => new()
    {
        Year = w.Year,
        SalesRevenue = w.SalesRevenue,
        TotalRevenue = w.TotalRevenue,
        RdExpense = w.RdExpense,
        RdExpenseInChina = w.RdExpenseInChina,
        HighTechRevenue = w.HighTechRevenue,
    };
}
