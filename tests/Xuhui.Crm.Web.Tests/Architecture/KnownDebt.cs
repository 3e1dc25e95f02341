namespace Xuhui.Crm.Web.Tests.Architecture;

/// <summary>
/// Exceptions to the house rules: none. The lists stay so the rules read the same way, but every one is empty and a
/// rule fails on anything it finds, so a new upward or sideways arrow, or a cycle, fails the build's tests.
/// </summary>
internal static class KnownDebt
{
    public static readonly string[] DataToFeatures = [];

    public static readonly string[] SharedToFeatures = [];

    public static readonly string[] FeaturesToRoot = [];

    public static readonly string[] ApiCalls = [];

    public static readonly string[] CycleArrows = [];
}
