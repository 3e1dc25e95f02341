namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>Settings under "Crm:Targets".</summary>
public sealed class TargetsOptions
{
    public const string Section = "Crm:Targets";

    /// <summary>
    /// Whether recognised open innovation platforms (开放式创新平台) count towards indicator 5. On by default: the municipal
    /// rules (沪府办发〔2020〕15号) recognise them as one of the three types of foreign-invested R&amp;D centre, and the
    /// plan's count of 23 at end-2020 is the commerce commission's list, which includes them. Domain brief: a setting.
    /// </summary>
    public bool CountOpenInnovationPlatforms { get; set; } = true;

    /// <summary>The recognition type that <see cref="CountOpenInnovationPlatforms"/> switches (Case.RdCenterType).</summary>
    public string OpenInnovationPlatformType { get; set; } = "open-innovation-platform";

    /// <summary>Conversion rates look back this many months from the as-of date.</summary>
    public int ConversionWindowMonths { get; set; } = 24;

    /// <summary>Below this many outcomes a stage's rate is "insufficient data".</summary>
    public int MinimumOutcomes { get; set; } = 10;

    /// <summary>Late pipeline stages per programme, projected with their observed conversion rates.</summary>
    public Dictionary<string, List<string>> LateStages { get; set; } = new()
    {
        ["hnte"] = ["preparing", "submitted"],
        ["foreign-rd-center"] = ["setting-up", "applied"],
    };
}

/// <summary>Settings under "Crm:Reports".</summary>
public sealed class ReportsOptions
{
    public const string Section = "Crm:Reports";

    /// <summary>An open case whose stage at month end began more than this many days earlier is "stalled".</summary>
    public int StalledDays { get; set; } = 90;

    /// <summary>Leadership list for the monthly email (several districts: the city-wide report's list).</summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>Several districts: each district's report list, by district code (Crm:Reports:DistrictRecipients:310104:0=…).</summary>
    public Dictionary<string, List<string>> DistrictRecipients { get; set; } = [];

    /// <summary>Font the chart draws with (an OFL GB2312 subset of Noto Sans CJK SC shipped with the app).</summary>
    public string FontFile { get; set; } = "Assets/fonts/NotoSansSC-GB2312.otf";
}
