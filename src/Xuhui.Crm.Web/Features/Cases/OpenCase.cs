using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>Opens a case for a firm at an initial stage of its programme; one open case per firm and programme.</summary>
public static class OpenCase
{
    public sealed record Command(long FirmId, CreateCaseRequest Request);

    public static async Task<Outcome<CaseDto>> HandleAsync(Command command, ClaimsPrincipal user, CaseServices s, CancellationToken ct)
    {
        var (firmId, request) = command;
        var firm = await s.Db.Firms.Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == firmId, ct);
        if (firm is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(firmId));
        }

        if (!CaseAccess.CanOpenFor(user, firm))
        {
            return Outcome.Forbidden(Text.T("只有该企业的专员、科长或管理员可以新建案件"));
        }

        var errors = new Errors();
        var catalog = s.Reference.Programs;
        var program = catalog.Find(request.Program);
        var today = s.Today();
        if (program is null)
        {
            errors.Add("program", Text.F("未知项目，应为：{0}", string.Join(", ", catalog.Programs.Select(p => p.Code))));
        }
        else if (string.IsNullOrEmpty(request.Stage) || !program.IsInitial(request.Stage))
        {
            errors.Add("stage", Text.F("新案件的起始阶段应为：{0}", CaseMessages.List(program.InitialStages.Select(i => CaseMessages.Describe(program, i)))));
        }

        var ownerId = request.OwnerId ?? user.UserId();
        if (ownerId != user.UserId() && !user.IsManager())
        {
            errors.Add("ownerId", Text.T("专员只能为自己新建案件"));
        }
        else if (!await UserDirectory.Assignable(s.Db, firm.DistrictCode).AnyAsync(u => u.Id == ownerId, ct))
        {
            errors.Add("ownerId", CaseMessages.NotAssignable(ownerId));
        }

        var on = request.On ?? today;
        if (on > today)
        {
            errors.Add("on", CaseMessages.NotInFuture);
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var stage = program!.GetStage(request.Stage!);
        if (stage.Open && await s.Db.Cases.AnyAsync(c => c.FirmId == firmId && c.Program == program.Code && c.IsOpen, ct))
        {
            return Outcome.Conflict(Text.F("该企业在「{0}」已有进行中的案件；同一项目同时只能有一个进行中的案件", CaseMessages.Name(program)));
        }

        var entity = Case.Open(firmId, program, stage, on, ownerId, user.UserId(), s.UtcNow(), request.Note);
        s.Db.Cases.Add(entity);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (stage.Open)
        {
            // The filtered unique index caught a concurrent open case.
            return Outcome.Conflict(Text.F("该企业在「{0}」已有进行中的案件", CaseMessages.Name(program)));
        }

        return Outcome.Created($"/api/cases/{entity.Id}", CaseDto.From(entity, firm.Name, catalog, today, withHistory: true));
    }
}
