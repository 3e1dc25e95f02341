using System.Text.Json;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>A Chinese word with its pinyin (for user names, e-mail addresses and English names).</summary>
public sealed record PinyinWord(string Zh, string Py);

public sealed record IndustryWord(string Zh, string En);

/// <summary>The word lists in seed/synthetic/words.json from which fictitious names, addresses and notes are built.</summary>
public sealed record SyntheticWords(
    IReadOnlyList<PinyinWord> Brands,
    IReadOnlyDictionary<string, IReadOnlyList<IndustryWord>> Industries,
    IReadOnlyDictionary<string, int> IndustryWeights,
    IReadOnlyDictionary<string, string> TechFields,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Roads,
    IReadOnlyDictionary<string, int> ZoneWeights,
    IReadOnlyList<PinyinWord> Surnames,
    IReadOnlyList<PinyinWord> GivenNames,
    IReadOnlyList<string> ContactTitles,
    IReadOnlyList<string> Sponsors,
    IReadOnlyList<string> Boards,
    IReadOnlyList<string> VisitSummaries,
    IReadOnlyList<string> VisitRequests,
    IReadOnlyList<string> TaskTitles,
    IReadOnlyList<string> CompletionNotes)
{
    public const string RelativePath = "synthetic/words.json";

    public static SyntheticWords Load(string seedDirectory)
    {
        var path = Path.Combine(seedDirectory, RelativePath);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<SyntheticWords>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path} is empty");
    }
}
