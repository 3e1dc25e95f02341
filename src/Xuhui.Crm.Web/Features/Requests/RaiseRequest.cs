using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>Enters a request into the ledger outside a visit form (phone, letter, hotline, or later for a visit).</summary>
public static class RaiseRequest
{
    public sealed record Command(RequestCreate Input);

    public static async Task<Outcome<RequestDto>> HandleAsync(Command c, ClaimsPrincipal user, RequestServices s, CancellationToken ct)
    {
        var request = c.Input;
        var db = s.Db;
        var today = ShanghaiTime.Today(s.Clock);
        var errors = new Errors();
        var firmName = request.FirmId is null ? null : await db.Firms.Where(f => f.Id == request.FirmId && !f.IsArchived).Select(f => f.Name).FirstOrDefaultAsync(ct);
        if (firmName is null)
        {
            errors.Add("firmId", Messages.UnknownFirm);
        }

        if (request.VisitId is { } visitId && !await db.Visits.AnyAsync(v => v.Id == visitId && v.FirmId == request.FirmId, ct))
        {
            errors.Add("visitId", Text.T("走访记录须属于该企业"));
        }

        await RequestRules.ValidateAsync(errors, string.Empty, request.Category, request.Description, request.Department, request.OwnerId, request.FirmId, db, s.Reference, ct);
        var raisedOn = request.RaisedOn ?? today;
        if (raisedOn > today)
        {
            errors.Add("raisedOn", Text.T("提出日期不能晚于今天"));
        }

        if (request.Deadline is { } deadline && deadline < raisedOn)
        {
            errors.Add("deadline", Text.T("办结期限不能早于提出日期"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var channel = request.Channel ?? (request.VisitId is null ? RequestChannel.Other : RequestChannel.Visit);
        var entity = await RequestRules.NewAsync(
            db, s.Reference, request.FirmId!.Value, request.VisitId, channel, request.Category!, request.Description!, request.Department,
            request.OwnerId ?? user.UserId(), raisedOn, request.Deadline, user.UserId(), ct);
        db.Requests.Add(entity);
        await db.SaveChangesAsync(ct);
        return Outcome.Created($"/api/requests/{entity.Id}", RequestDto.From(entity, firmName, today, true));
    }
}
