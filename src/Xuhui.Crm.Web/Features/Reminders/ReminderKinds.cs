namespace Xuhui.Crm.Web.Features.Reminders;

public static class ReminderKinds
{
    public const string TaskDue = "task-due";
    public const string TaskOverdue = "task-overdue";
    public const string TaskEscalated = "task-escalated";
    public const string VisitCadence = "visit-cadence";
    public const string CertificateExpiry = "certificate-expiry";
    public const string HnteAnnualReport = "hnte-annual-report";
    public const string LittleGiantPeriodEnd = "little-giant-period-end";
    public const string CaseStalled = "case-stalled";
    public const string OthersVisited = "others-visited";
    public const string UpcomingVisit = "upcoming-visit";
    public const string BackupProblem = "backup-problem";
    public const string StorageFull = "storage-full";
    public const string RequestOverdue = "request-overdue";
    public const string RequestEscalated = "request-escalated";

    /// <summary>In digest order, with the Chinese section heading.</summary>
    public static readonly IReadOnlyList<(string Kind, string Heading)> All =
    [
        (StorageFull, "服务器存储空间已满（管理员）"),
        (BackupProblem, "数据库备份异常（管理员）"),
        (TaskOverdue, "逾期待办"),
        (TaskDue, "今日到期待办"),
        (TaskEscalated, "下属逾期超期待办（督办）"),
        (RequestOverdue, "逾期未办结的企业诉求"),
        (RequestEscalated, "下属逾期未办结的企业诉求（督办）"),
        (UpcomingVisit, "近期计划走访"),
        (OthersVisited, "其他同事走访了您负责的企业"),
        (VisitCadence, "超过走访周期未走访的企业"),
        (CertificateExpiry, "即将到期的证书"),
        (HnteAnnualReport, "高新技术企业年报未报送"),
        (LittleGiantPeriodEnd, "科技小巨人项目即将到期"),
        (CaseStalled, "长期停滞的培育案件"),
    ];

    public static bool IsKnown(string kind) => All.Any(k => k.Kind == kind);
}
