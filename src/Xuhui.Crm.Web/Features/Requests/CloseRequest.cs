using System.Security.Claims;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>Closing needs a resolution (what was done, or why it cannot be done); satisfaction is recorded after the follow-up call.</summary>
public static class CloseRequest
{
    public sealed record Command(long Id, RequestClose Input);

    public static async Task<Outcome<RequestDto>> HandleAsync(Command c, ClaimsPrincipal user, RequestServices s, CancellationToken ct)
    {
        var request = c.Input;
        var (r, firmName, refused) = await RequestRules.LoadForEditAsync(s, user, c.Id, request.Version, versionRequired: false, ct);
        if (refused is { } failure)
        {
            return failure;
        }

        var today = ShanghaiTime.Today(s.Clock);
        var errors = new Errors();
        if (request.Outcome is not (RequestStatus.Resolved or RequestStatus.CannotResolve))
        {
            errors.Add("outcome", Text.T("应为 resolved（已解决）或 cannot-resolve（无法解决）"));
        }

        if (string.IsNullOrWhiteSpace(request.Resolution))
        {
            errors.Add("resolution", request.Outcome == RequestStatus.CannotResolve ? Text.T("无法解决须说明原因") : Text.T("办结须说明处理结果"));
        }

        var closedOn = request.ClosedOn ?? today;
        if (closedOn > today || closedOn < r!.RaisedOn)
        {
            errors.Add("closedOn", Text.T("办结日期应在提出日期与今天之间"));
        }

        if (r!.IsClosed)
        {
            return Outcome.Conflict(Text.T("诉求已办结"), RequestDto.From(r, firmName, today, true));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        r.Status = request.Outcome!.Value;
        r.Resolution = request.Resolution!.Trim();
        r.ClosedOn = closedOn;
        r.Satisfaction = request.Satisfaction;
        r.Progress.Add(new RequestProgress { On = closedOn, Note = r.Resolution, StatusAfter = r.Status, ById = user.UserId(), At = s.Clock.GetUtcNow().UtcDateTime });
        return await RequestRules.SaveAsync(s.Db, r, firmName, today, ct);
    }
}
