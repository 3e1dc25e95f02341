using System.Security.Claims;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>Logs a step on an open request; the first step moves it from open to in progress.</summary>
public static class AddProgress
{
    public sealed record Command(long Id, ProgressCreate Input);

    public static async Task<Outcome<RequestDto>> HandleAsync(Command c, ClaimsPrincipal user, RequestServices s, CancellationToken ct)
    {
        var request = c.Input;
        var (r, firmName, refused) = await RequestRules.LoadForEditAsync(s, user, c.Id, version: null, versionRequired: false, ct);
        if (refused is { } failure)
        {
            return failure;
        }

        var today = ShanghaiTime.Today(s.Clock);
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(request.Note))
        {
            errors.Add("note", Text.T("进展说明必填"));
        }

        if (request.Status is { } status && !RequestRules.OpenStatuses.Contains(status))
        {
            errors.Add("status", RequestRules.UseClose);
        }

        var on = request.On ?? today;
        if (on > today || on < r!.RaisedOn)
        {
            errors.Add("on", Text.T("日期应在提出日期与今天之间"));
        }

        if (r!.IsClosed)
        {
            errors.Add("status", Text.T("诉求已办结"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        r.Progress.Add(new RequestProgress { On = on, Note = request.Note!.Trim(), StatusAfter = request.Status, ById = user.UserId(), At = s.Clock.GetUtcNow().UtcDateTime });
        if (request.Status is { } next)
        {
            r.Status = next;
        }
        else if (r.Status == RequestStatus.Open)
        {
            r.Status = RequestStatus.InProgress;
        }

        return await RequestRules.SaveAsync(s.Db, r, firmName, today, ct);
    }
}
