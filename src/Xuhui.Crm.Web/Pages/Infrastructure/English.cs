namespace Xuhui.Crm.Web.Pages.Infrastructure;

/// <summary>English for the Chinese page text; a missing entry falls back to the Chinese.</summary>
public static class English
{
    public static readonly IReadOnlyDictionary<string, string> Words = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["徐汇企业培育"] = "Xuhui Enterprise Cultivation",
    };
}
