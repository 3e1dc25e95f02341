using System.Text.Json;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Reference;

/// <param name="District">For a zone: the district it lies in.</param>
public sealed record NamedCode(string Code, string NameZh, string NameEn, string? District = null);

public sealed record IndustryRef(string Code, string NameZh, string NameEn, bool Key);

public sealed record IndicatorRef(string Code, string NameZh, string NameEn, string Unit, decimal? Baseline2020, decimal? Target2025, bool Computed, bool Core);

public sealed record RequestCategoryRef(string Code, string NameZh, string NameEn, int DeadlineWorkingDays);

public sealed record DepartmentRef(string Code, string NameZh, string NameEn, bool Internal);

public sealed record ReferenceFile(
    List<NamedCode> Districts,
    List<NamedCode> Zones,
    List<IndustryRef> Industries,
    List<IndicatorRef> Indicators,
    List<RequestCategoryRef>? RequestCategories = null,
    List<DepartmentRef>? Departments = null);

/// <summary>Reference data from seed/reference: programmes with stages and transitions, zones, industries, indicators.</summary>
public sealed class ReferenceData(ProgramCatalog programs, ReferenceFile file) : IFilterCodes
{
    public ProgramCatalog Programs { get; } = programs;
    public ReferenceFile File { get; } = file;

    /// <summary>The codes the list filters accept, for the shared query rules.</summary>
    public IEnumerable<string>? Allowed(string filter, string? program) => filter switch
    {
        "program" => Programs.Programs.Select(x => x.Code),
        "stage" => (Programs.Find(program) is { } one ? [one] : Programs.Programs).SelectMany(x => x.Stages).Select(x => x.Code).Distinct(),
        "zone" => File.Zones.Select(z => z.Code),
        "industry" => File.Industries.Select(i => i.Code),
        "category" => (File.RequestCategories ?? []).Select(c => c.Code),
        "department" => (File.Departments ?? []).Select(d => d.Code),
        _ => null,
    };

    public bool IsZone(string code) => File.Zones.Any(z => z.Code == code);

    /// <summary>The zones of <paramref name="district"/>; null: every district's (city-wide users).</summary>
    public IEnumerable<NamedCode> ZonesOf(string? district) =>
        district is null ? File.Zones : File.Zones.Where(z => z.District == district);

    /// <summary>A zone lies in one district: a firm may name only a zone of its own district.</summary>
    public bool IsZoneOf(string code, string district) => File.Zones.Any(z => z.Code == code && z.District == district);

    public bool IsDistrict(string code) => File.Districts.Any(d => d.Code == code);

    public string DistrictName(string code) => File.Districts.FirstOrDefault(d => d.Code == code)?.NameZh ?? code;

    public bool IsIndustry(string code) => File.Industries.Any(i => i.Code == code);

    public RequestCategoryRef? RequestCategory(string? code) => File.RequestCategories?.FirstOrDefault(c => c.Code == code);

    public bool IsDepartment(string code) => File.Departments?.Any(d => d.Code == code) ?? false;

    public static ReferenceData Load(string seedDirectory)
    {
        var reference = Path.Combine(seedDirectory, "reference");
        var programs = ProgramCatalog.Load(Path.Combine(reference, "programs.json"));
        var file = JsonSerializer.Deserialize<ReferenceFile>(
            System.IO.File.ReadAllText(Path.Combine(reference, "reference.json")),
            JsonSerializerOptions.Web) ?? throw new InvalidDataException("seed/reference/reference.json is empty");
        var unplaced = file.Zones.Where(z => z.District is null || !file.Districts.Any(d => d.Code == z.District)).Select(z => z.Code).ToList();
        if (unplaced.Count > 0)
        {
            throw new InvalidDataException($"seed/reference/reference.json: every zone needs the code of the district it lies in ({string.Join(", ", unplaced)})");
        }

        if (file.Zones.GroupBy(z => z.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidDataException($"seed/reference/reference.json: zone code {twice.Key} appears twice (a code names one zone in one district)");
        }

        return new ReferenceData(programs, file);
    }

    /// <summary>The district whose zones a caller may use: the context's scope with several districts, else the deployment's.</summary>
    public static string? ZoneScope(CrmDbContext db, CrmOptions options) => options.MultiDistrict ? db.District : options.District;
}
