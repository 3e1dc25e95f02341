using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reports;

/// <param name="Frozen">True when read from a month-end snapshot; false for the running month or a month never frozen.</param>
/// <param name="SnapshotRevision">Revision of the snapshot read, when frozen.</param>
/// <param name="Requests">Firm requests (企业诉求); null in snapshots frozen before the section existed.</param>
public sealed record MonthlyReport(
    string Month,
    DateOnly From,
    DateOnly To,
    DateTime GeneratedAt,
    bool Frozen,
    int? SnapshotRevision,
    List<ProgramPipeline> Pipeline,
    List<StalledCase> Stalled,
    int StalledTotal,
    int StalledDays,
    List<StageDuration> TimeInStage,
    VisitSection Visits,
    FollowUpSection FollowUps,
    TargetsDto Targets,
    List<NotableWin> Wins,
    RequestSection? Requests = null);

/// <summary>One programme: cases per stage at month end and the month's movements.</summary>
public sealed record ProgramPipeline(
    string Program,
    string ProgramName,
    List<StageCount> StagesAtMonthEnd,
    int NewCases,
    int Advances,
    int Regressions,
    int Wins,
    int Losses,
    int OtherMoves);

public sealed record StageCount(string Stage, string StageName, bool Open, int Cases);

public sealed record StalledCase(long CaseId, long FirmId, string FirmName, string Program, string ProgramName, string Stage, string StageName, DateOnly Since, int Days);

/// <summary>Completed stays in a stage that ended during the month (the case left the stage then).</summary>
public sealed record StageDuration(string Program, string ProgramName, string Stage, string StageName, int Stays, double? MedianDays);

public sealed record VisitSection(int Visits, int FirmsVisited, List<OfficerVisits> ByOfficer, List<ZoneVisits> ByZone);

public sealed record OfficerVisits(long UserId, string Name, int Visits, int Firms);

public sealed record ZoneVisits(string? Zone, string ZoneName, int Visits, int Firms);

/// <param name="OverdueAsOf">Tasks due on or before this date and not done by then count as still overdue.</param>
public sealed record FollowUpSection(DateOnly OverdueAsOf, int CompletedOnTime, int CompletedLate, int StillOverdue, List<AssigneeFollowUps> ByAssignee);

public sealed record AssigneeFollowUps(long UserId, string Name, int CompletedOnTime, int CompletedLate, int StillOverdue);

public sealed record NotableWin(DateOnly On, long CaseId, long FirmId, string FirmName, string Program, string ProgramName, string Stage, string StageName, string? Detail);

/// <summary>
/// Firm requests (企业诉求) in the month; the definitions are in Features/Reports/README.md. Dates are the ledger's
/// Shanghai business dates (raised on, closed on, deadline).
/// </summary>
/// <param name="OpenAtStart">Raised before the first day and not closed before it.</param>
/// <param name="Raised">Raised on a day of the month.</param>
/// <param name="Closed">Closed on a day of the month, either outcome (<paramref name="Resolved"/> + <paramref name="CannotResolve"/>).</param>
/// <param name="ClosureRate">Closed ÷ (open at start + raised), 0–1 rounded to 4 places; null when both are 0.</param>
/// <param name="MedianDaysToClose">Calendar days from raised to closed over the requests closed in the month.</param>
/// <param name="OpenAtEnd">Raised by the cut-off and not closed by it.</param>
/// <param name="Overdue">Open at the cut-off with a deadline on or before it (the ledger calls them overdue the next day).</param>
public sealed record RequestSection(
    DateOnly OverdueAsOf,
    int OpenAtStart,
    int Raised,
    int Closed,
    int Resolved,
    int CannotResolve,
    double? ClosureRate,
    double? MedianDaysToClose,
    int OpenAtEnd,
    int Overdue,
    List<RequestGroupCount> OverdueByDepartment,
    List<RequestGroupCount> OverdueByCategory,
    RequestSatisfaction Satisfaction);

/// <param name="Code">Department or category code; null for requests without a department.</param>
public sealed record RequestGroupCount(string? Code, string Name, int Count);

/// <summary>Among the requests closed in the month; the rate is (satisfied + basically) ÷ recorded, null when none recorded.</summary>
public sealed record RequestSatisfaction(int Satisfied, int Basically, int Dissatisfied, int NotRecorded, double? SatisfiedRate);

/// <summary>Summary of one stored snapshot revision.</summary>
public sealed record SnapshotInfo(string Month, int Revision, DateTime TakenAt, long? TakenById, string Trigger, string? Reason);

[WritesTo(typeof(Domain.Targets.MonthlySnapshot))]
public sealed record SnapshotRequest(string? Reason);
