using Xuhui.Crm.Web.Features.Targets;

namespace Xuhui.Crm.Web.Features.Reports;

/// <param name="Frozen">True when read from a month-end snapshot; false for the running month or a month never frozen.</param>
/// <param name="SnapshotRevision">Revision of the snapshot read, when frozen.</param>
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
    List<NotableWin> Wins);

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

/// <summary>Summary of one stored snapshot revision.</summary>
public sealed record SnapshotInfo(string Month, int Revision, DateTime TakenAt, long? TakenById, string Trigger, string? Reason);

public sealed record SnapshotRequest(string? Reason);
