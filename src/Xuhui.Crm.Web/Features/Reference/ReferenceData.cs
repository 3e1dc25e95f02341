using System.Text.Json;
using Xuhui.Crm.Domain.Programs;

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
public sealed class ReferenceData(ProgramCatalog programs, ReferenceFile file)
{
    public ProgramCatalog Programs { get; } = programs;
    public ReferenceFile File { get; } = file;

    public bool IsZone(string code) => File.Zones.Any(z => z.Code == code);

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
        return new ReferenceData(programs, file);
    }
}
