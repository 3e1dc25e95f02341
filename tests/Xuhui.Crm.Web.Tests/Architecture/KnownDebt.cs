namespace Xuhui.Crm.Web.Tests.Architecture;

/// <summary>
/// The dependencies that break the house rules today, each to be removed by moving the code where its name says.
/// The rules fail on anything not listed and on any entry that no longer occurs, so this list only shrinks.
/// </summary>
internal static class KnownDebt
{
    public static readonly string[] DataToFeatures =
    [
        "Xuhui.Crm.Web.Data.CrmDbContext → Xuhui.Crm.Web.Features.Search.FirmSearchGram",
        "Xuhui.Crm.Web.Data.DatabaseSetup → Xuhui.Crm.Web.Features.Auth.TokenCache",
        "Xuhui.Crm.Web.Data.DatabaseSetup → Xuhui.Crm.Web.Features.Search.GramCountCache",
    ];

    public static readonly string[] SharedToFeatures =
    [
    ];

    public static readonly string[] FeaturesToRoot =
    [
        "Xuhui.Crm.Web.Features.Operations.OpsCommands → Xuhui.Crm.Web.CrmHost",
    ];

    public static readonly string[] ApiCalls =
    [
        "Xuhui.Crm.Web.Features.Reminders.RemindersModule → Xuhui.Crm.Web.Features.Calendar.CalendarApi",
        "Xuhui.Crm.Web.Features.Reminders.RemindersModule → Xuhui.Crm.Web.Features.Jobs.JobsApi",
        "Xuhui.Crm.Web.Features.Reminders.RemindersModule → Xuhui.Crm.Web.Features.Outbox.OutboxApi",
        "Xuhui.Crm.Web.Features.Targets.TargetsSetup → Xuhui.Crm.Web.Features.Reports.ReportsApi",
    ];

    public static readonly string[] CycleArrows =
    [
        "Features.Contacts → Features.Operations",
        "Features.Exports → Features.Operations",
        "Features.Firms → Features.Contacts",
        "Features.Firms → Features.Operations",
        "Features.Firms → Features.Visits",
        "Features.Imports → Features.Contacts",
        "Features.Imports → Features.Exports",
        "Features.Imports → Features.Firms",
        "Features.Jobs → Features.Imports",
        "Features.Jobs → Features.Operations",
        "Features.Jobs → Features.Reminders",
        "Features.Jobs → Features.Reports",
        "Features.Operations → Features.Jobs",
        "Features.Operations → Features.Outbox",
        "Features.Outbox → Features.Operations",
        "Features.Reminders → Features.Jobs",
        "Features.Reminders → Features.Operations",
        "Features.Reminders → Features.Outbox",
        "Features.Reminders → Features.Reports",
        "Features.Reports → Features.Jobs",
        "Features.Reports → Features.Outbox",
        "Features.Reports → Features.Targets",
        "Features.Targets → Features.Reports",
        "Features.Visits → Features.Contacts",
    ];
}
