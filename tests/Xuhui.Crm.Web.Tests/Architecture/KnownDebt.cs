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
    ];

    public static readonly string[] FeaturesToRoot =
    [
    ];

    public static readonly string[] ApiCalls =
    [
    ];

    public static readonly string[] CycleArrows =
    [
        "Features.Firms → Features.Contacts",
        "Features.Firms → Features.Visits",
        "Features.Imports → Features.Contacts",
        "Features.Imports → Features.Exports",
        "Features.Imports → Features.Firms",
        "Features.Visits → Features.Contacts",
    ];
}
