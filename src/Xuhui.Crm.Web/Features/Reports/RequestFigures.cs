using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// The monthly report's requests section (企业诉求), from the ledger's dates: counted in SQL per (department, category)
/// in one pass over the requests alive during the month; only the month's closed requests are loaded, for the median.
/// A request's state on a past date comes from its dates (raised on, closed on), not from its current status.
/// </summary>
public static class RequestFigures
{
    public static async Task<RequestSection> ComputeAsync(
        CrmDbContext db, ReferenceData reference, DateOnly from, DateOnly to, DateOnly asOf, DateOnly overdueAsOf, CancellationToken ct)
    {
        // Alive during the month: raised by its end and not closed before it began. Archived firms are left out, as in
        // the rest of the report.
        var alive = db.Requests.AsNoTracking()
            .Where(r => r.RaisedOn <= to && (r.ClosedOn == null || r.ClosedOn >= from))
            .Join(db.Firms.Where(f => !f.IsArchived), r => r.FirmId, f => f.Id, (r, f) => r);

        var groups = await alive
            .GroupBy(r => new { r.Department, r.Category })
            .Select(g => new
            {
                g.Key.Department,
                g.Key.Category,
                OpenAtStart = g.Count(r => r.RaisedOn < from),
                Raised = g.Count(r => r.RaisedOn >= from),
                Resolved = g.Count(r => r.ClosedOn <= to && r.Status == RequestStatus.Resolved),
                CannotResolve = g.Count(r => r.ClosedOn <= to && r.Status == RequestStatus.CannotResolve),
                OpenAtEnd = g.Count(r => r.RaisedOn <= asOf && (r.ClosedOn == null || r.ClosedOn > asOf)),
                Overdue = g.Count(r => r.Deadline <= overdueAsOf && (r.ClosedOn == null || r.ClosedOn > overdueAsOf)),
                Satisfied = g.Count(r => r.ClosedOn <= to && r.Satisfaction == Satisfaction.Satisfied),
                Basically = g.Count(r => r.ClosedOn <= to && r.Satisfaction == Satisfaction.Basically),
                Dissatisfied = g.Count(r => r.ClosedOn <= to && r.Satisfaction == Satisfaction.Dissatisfied),
                NotRecorded = g.Count(r => r.ClosedOn <= to && r.Satisfaction == null),
            })
            .ToListAsync(ct);

        // Date arithmetic differs between SQLite and PostgreSQL: the days are worked out here (a month's closures are few).
        var closedDates = await alive.Where(r => r.ClosedOn <= to).Select(r => new { r.RaisedOn, r.ClosedOn }).ToListAsync(ct);
        var days = closedDates.Select(r => r.ClosedOn!.Value.DayNumber - r.RaisedOn.DayNumber).ToList();

        var openAtStart = groups.Sum(g => g.OpenAtStart);
        var raised = groups.Sum(g => g.Raised);
        var resolved = groups.Sum(g => g.Resolved);
        var cannot = groups.Sum(g => g.CannotResolve);
        var closed = resolved + cannot;
        var (satisfied, basically, dissatisfied) = (groups.Sum(g => g.Satisfied), groups.Sum(g => g.Basically), groups.Sum(g => g.Dissatisfied));
        var recorded = satisfied + basically + dissatisfied;

        var departments = (reference.File.Departments ?? []).ToDictionary(d => d.Code, d => d.NameZh);
        var categories = (reference.File.RequestCategories ?? []).ToDictionary(c => c.Code, c => c.NameZh);
        List<RequestGroupCount> Overdue(IEnumerable<(string? Code, int Count)> rows, IReadOnlyDictionary<string, string> names) => rows
            .GroupBy(r => r.Code)
            .Select(g => new RequestGroupCount(g.Key, g.Key is null ? "未指定" : names.GetValueOrDefault(g.Key, g.Key), g.Sum(r => r.Count)))
            .Where(r => r.Count > 0)
            .OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal)
            .ToList();

        return new RequestSection(
            overdueAsOf,
            openAtStart,
            raised,
            closed,
            resolved,
            cannot,
            openAtStart + raised == 0 ? null : Math.Round((double)closed / (openAtStart + raised), 4),
            TargetMath.Median(days),
            groups.Sum(g => g.OpenAtEnd),
            groups.Sum(g => g.Overdue),
            Overdue(groups.Select(g => (g.Department, g.Overdue)), departments),
            Overdue(groups.Select(g => ((string?)g.Category, g.Overdue)), categories),
            new RequestSatisfaction(
                satisfied, basically, dissatisfied, groups.Sum(g => g.NotRecorded),
                recorded == 0 ? null : Math.Round((double)(satisfied + basically) / recorded, 4)));
    }
}
