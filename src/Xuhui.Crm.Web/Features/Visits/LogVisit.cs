using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Features.Requests;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Visits;

/// <summary>
/// Logs a visit with the follow-ups and firm requests it gives rise to, all in one transaction. Any officer may log a
/// visit to any firm: several offices visiting one firm is exactly what the record must show.
/// </summary>
public static class LogVisit
{
    public sealed record Command(VisitRequest Input);

    public static async Task<Outcome<VisitDto>> HandleAsync(Command c, ClaimsPrincipal user, VisitServices s, CancellationToken ct)
    {
        var request = c.Input;
        var db = s.Db;
        var me = user.UserId();
        var errors = await VisitRules.ValidateAsync(request, db, s.Clock, ct);
        foreach (var (raised, i) in (request.RaisedRequests ?? []).Select((r, i) => (r, i)))
        {
            await RequestRules.ValidateAsync(errors, $"raisedRequests[{i}].", raised.Category, raised.Description, raised.Department, raised.OwnerId, request.FirmId, db, s.Reference, ct);
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var firm = await db.Firms.AsNoTracking().FirstAsync(f => f.Id == request.FirmId, ct);
        var visit = new Visit { FirmId = firm.Id, CreatedById = me };
        VisitRules.Apply(request, visit, me);
        db.Visits.Add(visit);
        var followUps = (request.FollowUps ?? [])
            .Select(f => TaskRules.New(firm.Id, f.CaseId, f.AssigneeId ?? me, f.Title!, f.Kind, f.DueOn!.Value, me)).ToList();
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
                db, s.Reference, firm.Id, visit.Id, RequestChannel.Visit, raised.Category!, raised.Description!, raised.Department,
                raised.OwnerId ?? me, visit.On, raised.Deadline, me, ct));
        }

        db.Requests.AddRange(raisedRequests);
        await db.SaveChangesAsync(ct);
        await VisitRules.UpdateCadenceAsync(db, visit, s.Options.Value.Cadence, ct);
        await tx.CommitAsync(ct);
        var today = ShanghaiTime.Today(s.Clock);
        return Outcome.Created(
            $"/api/visits/{visit.Id}",
            VisitDto.From(visit, firm.Name, followUps.Select(TaskDto.From).ToList()) with
            {
                RaisedRequests = raisedRequests.Select(r => RequestDto.From(r, firm.Name, today, false)).ToList(),
            });
    }
}
