namespace Xuhui.Crm.Web.Tests.Architecture;

/// <summary>
/// The dependencies that break the house rules today, each to be removed by moving the code where its name says.
/// The rules fail on anything not listed and on any entry that no longer occurs, so this list only shrinks.
/// </summary>
internal static class KnownDebt
{
    public static readonly string[] DataToFeatures = [];

    public static readonly string[] SharedToFeatures =
    [
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Calendar.CalendarDay",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Calendar.CalendarDayRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Cases.CaseUpdateRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Cases.CertificateRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Cases.CreateCaseRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Cases.TransitionRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Contacts.ContactRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Contacts.Pages.ContactModel",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Firms.FirmDto",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Firms.Pages.FirmForm",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Firms.StatusChangeRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Firms.TransferRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Reminders.SnoozeRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Reports.SnapshotRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Requests.ProgressCreate",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Requests.RequestClose",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Requests.RequestCreate",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Requests.RequestUpdate",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Targets.IndicatorTargetRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Targets.IndicatorValueRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Targets.LegalPersonCountRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Tasks.CompleteTaskRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Tasks.TaskRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Users.UserRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Visits.FollowUpRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Visits.Pages.NewModel",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Visits.RaisedRequest",
        "Xuhui.Crm.Web.Shared.InputRules → Xuhui.Crm.Web.Features.Visits.VisitRequest",
        "Xuhui.Crm.Web.Shared.Pages.Shared_Pages__IndicatorBars → Xuhui.Crm.Web.Features.Targets.IndicatorStatus",
        "Xuhui.Crm.Web.Shared.Pages.Shared_Pages__IndicatorBars → Xuhui.Crm.Web.Features.Targets.TargetBasis",
        "Xuhui.Crm.Web.Shared.QueryRules → Xuhui.Crm.Web.Features.Reference.DepartmentRef",
        "Xuhui.Crm.Web.Shared.QueryRules → Xuhui.Crm.Web.Features.Reference.IndustryRef",
        "Xuhui.Crm.Web.Shared.QueryRules → Xuhui.Crm.Web.Features.Reference.NamedCode",
        "Xuhui.Crm.Web.Shared.QueryRules → Xuhui.Crm.Web.Features.Reference.ReferenceData",
        "Xuhui.Crm.Web.Shared.QueryRules → Xuhui.Crm.Web.Features.Reference.ReferenceFile",
        "Xuhui.Crm.Web.Shared.QueryRules → Xuhui.Crm.Web.Features.Reference.RequestCategoryRef",
    ];

    public static readonly string[] FeaturesToRoot =
    [
        "Xuhui.Crm.Web.Features.Operations.OpsCommands → Xuhui.Crm.Web.CrmHost",
    ];

    public static readonly string[] ApiCalls =
    [
        "Xuhui.Crm.Web.Features.Imports.ImportsApi → Xuhui.Crm.Web.Features.Exports.ExportsApi",
        "Xuhui.Crm.Web.Features.Imports.ImportsApi → Xuhui.Crm.Web.Features.Firms.FirmMergeApi",
        "Xuhui.Crm.Web.Features.Reminders.RemindersModule → Xuhui.Crm.Web.Features.Calendar.CalendarApi",
        "Xuhui.Crm.Web.Features.Reminders.RemindersModule → Xuhui.Crm.Web.Features.Jobs.JobsApi",
        "Xuhui.Crm.Web.Features.Reminders.RemindersModule → Xuhui.Crm.Web.Features.Outbox.OutboxApi",
        "Xuhui.Crm.Web.Features.Targets.TargetsSetup → Xuhui.Crm.Web.Features.Reports.ReportsApi",
        "Xuhui.Crm.Web.Features.Workbench.Pages.IndexModel → Xuhui.Crm.Web.Features.Reminders.RemindersApi",
    ];

    public static readonly string[] CycleArrows =
    [
        "Features.Cases → Features.Users",
        "Features.Contacts → Features.Firms",
        "Features.Contacts → Features.Operations",
        "Features.Exports → Features.Operations",
        "Features.Exports → Features.Search",
        "Features.Firms → Features.Cases",
        "Features.Firms → Features.Contacts",
        "Features.Firms → Features.Imports",
        "Features.Firms → Features.Operations",
        "Features.Firms → Features.Requests",
        "Features.Firms → Features.Search",
        "Features.Firms → Features.Tasks",
        "Features.Firms → Features.Users",
        "Features.Firms → Features.Visits",
        "Features.Imports → Features.Contacts",
        "Features.Imports → Features.Exports",
        "Features.Imports → Features.Firms",
        "Features.Imports → Features.Search",
        "Features.Jobs → Features.Imports",
        "Features.Jobs → Features.Operations",
        "Features.Jobs → Features.Reminders",
        "Features.Jobs → Features.Reports",
        "Features.Operations → Features.Jobs",
        "Features.Operations → Features.Outbox",
        "Features.Operations → Features.Users",
        "Features.Outbox → Features.Operations",
        "Features.Reminders → Features.Jobs",
        "Features.Reminders → Features.Operations",
        "Features.Reminders → Features.Outbox",
        "Features.Reminders → Features.Reports",
        "Features.Reminders → Features.Requests",
        "Features.Reports → Features.Jobs",
        "Features.Reports → Features.Outbox",
        "Features.Reports → Features.Targets",
        "Features.Requests → Features.Firms",
        "Features.Requests → Features.Users",
        "Features.Search → Features.Firms",
        "Features.Targets → Features.Reports",
        "Features.Tasks → Features.Firms",
        "Features.Tasks → Features.Users",
        "Features.Users → Features.Firms",
        "Features.Visits → Features.Contacts",
        "Features.Visits → Features.Firms",
        "Features.Visits → Features.Requests",
        "Features.Visits → Features.Search",
        "Features.Visits → Features.Tasks",
        "Features.Visits → Features.Users",
    ];
}
