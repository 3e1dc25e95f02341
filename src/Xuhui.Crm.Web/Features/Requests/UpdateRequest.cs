using System.Security.Claims;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>Edits an open request against the version read (category, text, department, owner, deadline, open status).</summary>
public static class UpdateRequest
{
    public sealed record Command(long Id, RequestUpdate Input);

    public static async Task<Outcome<RequestDto>> HandleAsync(Command c, ClaimsPrincipal user, RequestServices s, CancellationToken ct)
    {
        var request = c.Input;
        var (r, firmName, refused) = await RequestRules.LoadForEditAsync(s, user, c.Id, request.Version, versionRequired: true, ct);
        if (refused is { } failure)
        {
            return failure;
        }

        var today = ShanghaiTime.Today(s.Clock);
        var errors = new Errors();
        await RequestRules.ValidateAsync(errors, string.Empty, request.Category, request.Description, request.Department, request.OwnerId, r!.FirmId, s.Db, s.Reference, ct);
        if (r.IsClosed)
        {
            errors.Add("status", Text.T("诉求已办结，不能再修改"));
        }

        if (request.Status is { } status && !RequestRules.OpenStatuses.Contains(status))
        {
            errors.Add("status", RequestRules.UseClose);
        }

        if (request.Deadline is { } deadline && deadline < r.RaisedOn)
        {
            errors.Add("deadline", Text.T("办结期限不能早于提出日期"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        r.Category = request.Category!;
        r.Description = request.Description!.Trim();
        r.Department = request.Department;
        r.OwnerId = request.OwnerId ?? r.OwnerId;
        r.Deadline = request.Deadline ?? r.Deadline;
        r.Status = request.Status ?? r.Status;
        return await RequestRules.SaveAsync(s.Db, r, firmName, today, ct);
    }
}
