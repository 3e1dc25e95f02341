using System.Globalization;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared.Firms;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Firms.Pages;

/// <summary>
/// The profile fields an officer edits on the page; the rest of the firm travels unchanged. The New page's form extends
/// it with the fields only a registration sets, and both pages render these fields from <c>_FirmFields</c>.
/// </summary>
[WritesTo(typeof(Firm))]
public class FirmForm
{
    public string? Name { get; set; }
    public string? EnglishName { get; set; }
    public string? Address { get; set; }
    public string? Zone { get; set; }
    public string? Industry { get; set; }
    public FirmTier Tier { get; set; }
    public int? Headcount { get; set; }
    public int? RdHeadcount { get; set; }
    public int? InventionPatents { get; set; }
    public int? CoreIpCount { get; set; }
    public string? TechField { get; set; }
    public int? InnovationScore { get; set; }

    /// <summary>Each field with its Chinese label, for the "what changed" table of a conflict.</summary>
    public static readonly IReadOnlyList<(string Key, string Label, Func<FirmForm, string?> Value)> Fields =
    [
        (nameof(Name), "企业名称", f => f.Name),
        (nameof(EnglishName), "英文名称", f => f.EnglishName),
        (nameof(Address), "地址", f => f.Address),
        (nameof(Zone), "功能区", f => f.Zone),
        (nameof(Industry), "行业", f => f.Industry),
        (nameof(Tier), "分级", f => f.Tier.ToString()),
        (nameof(Headcount), "员工人数", f => Text(f.Headcount)),
        (nameof(RdHeadcount), "研发人员", f => Text(f.RdHeadcount)),
        (nameof(InventionPatents), "发明专利", f => Text(f.InventionPatents)),
        (nameof(CoreIpCount), "核心知识产权", f => Text(f.CoreIpCount)),
        (nameof(TechField), "技术领域", f => f.TechField),
        (nameof(InnovationScore), "创新能力评分", f => Text(f.InnovationScore)),
    ];

    public static FirmForm From(FirmDto f) => new()
    {
        Name = f.Name,
        EnglishName = f.EnglishName,
        Address = f.Address,
        Zone = f.Zone,
        Industry = f.Industry,
        Tier = f.Tier,
        Headcount = f.Headcount,
        RdHeadcount = f.RdHeadcount,
        InventionPatents = f.InventionPatents,
        CoreIpCount = f.CoreIpCount,
        TechField = f.TechField,
        InnovationScore = f.InnovationScore,
    };

    public FirmDto ApplyTo(FirmDto current, int version) => current with
    {
        Version = version,
        Name = Name ?? string.Empty,
        EnglishName = Blank(EnglishName),
        Address = Blank(Address),
        Zone = Blank(Zone),
        Industry = Blank(Industry),
        Tier = Tier,
        Headcount = Headcount,
        RdHeadcount = RdHeadcount,
        InventionPatents = InventionPatents,
        CoreIpCount = CoreIpCount,
        TechField = Blank(TechField),
        InnovationScore = InnovationScore,
    };

    /// <summary>My changes (fields I edited) over their current values (fields I left alone).</summary>
    public static FirmForm Merge(FirmForm opened, FirmForm mine, FirmForm theirs)
    {
        var merged = new FirmForm();
        foreach (var property in typeof(FirmForm).GetProperties())
        {
            var changedByMe = !Equals(property.GetValue(mine), property.GetValue(opened));
            property.SetValue(merged, property.GetValue(changedByMe ? mine : theirs));
        }

        return merged;
    }

    private static string? Text(int? n) => n?.ToString(CultureInfo.InvariantCulture);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>A field someone else changed while this officer was editing.</summary>
/// <param name="Mine">The officer's value when they changed this field too; null when they left it alone.</param>
public sealed record FieldConflict(string Key, string Label, string? WhenOpened, string? Now, string? Mine);
