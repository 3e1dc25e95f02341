using System.Text.RegularExpressions;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Tests.Localisation;

/// <summary>Every text the code asks the catalogue for has both languages, and no literal mixes the two.</summary>
public sealed partial class CatalogueTests
{
    [Fact]
    public void Every_English_entry_is_English_with_the_keys_placeholders()
    {
        var wrong = new List<string>();
        foreach (var (zh, en) in English.Words)
        {
            if (string.IsNullOrWhiteSpace(en))
            {
                wrong.Add($"{zh}: empty");
            }
            else if (Han().IsMatch(en))
            {
                wrong.Add($"{zh}: Chinese in \"{en}\"");
            }
            else if (!Placeholders(zh).SequenceEqual(Placeholders(en)))
            {
                wrong.Add($"{zh}: placeholders {string.Join(",", Placeholders(zh))} but \"{en}\" has {string.Join(",", Placeholders(en))}");
            }
        }

        Assert.True(wrong.Count == 0, "English entries to fix:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Every_catalogue_key_in_the_source_has_an_English_entry()
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            foreach (Match m in CatalogueUse().Matches(text))
            {
                var key = Regex.Unescape(m.Groups["key"].Value);
                if (Han().IsMatch(key) && !English.Words.ContainsKey(key))
                {
                    missing.Add($"{Relative(file)}: {key}");
                }
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} catalogue keys without English:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void No_literal_mixes_Chinese_with_a_parenthesised_English_translation()
    {
        var mixed = new List<string>();
        foreach (var file in SourceFiles())
        {
            var razor = file.EndsWith(".cshtml", StringComparison.Ordinal);
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.TrimStart().StartsWith("//", StringComparison.Ordinal) || line.TrimStart().StartsWith("///", StringComparison.Ordinal))
                {
                    continue;
                }

                // In C# only the string literals are text; in Razor the markup is too.
                var texts = razor ? [line] : StringLiteral().Matches(line).Select(m => m.Value);
                if (texts.Any(t => Mixed().IsMatch(t)))
                {
                    mixed.Add($"{Relative(file)}:{i + 1}: {line.Trim()}");
                }
            }
        }

        Assert.True(mixed.Count == 0, $"{mixed.Count} mixed literals:\n" + string.Join("\n", mixed));
    }

    private static IEnumerable<string> Placeholders(string format) =>
        PlaceholderPattern().Matches(format).Select(m => m.Value).Order(StringComparer.Ordinal).Distinct();

    private static string SourceRoot { get; } = FindSourceRoot();

    private static string FindSourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var src = Path.Combine(dir.FullName, "src");
            if (Directory.Exists(Path.Combine(src, "Xuhui.Crm.Web")))
            {
                return src;
            }
        }

        throw new DirectoryNotFoundException("src/ not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith($"Localisation{Path.DirectorySeparatorChar}English.cs", StringComparison.Ordinal));

    private static string Relative(string file) => Path.GetRelativePath(SourceRoot, file);

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>Text.T("…"), Text.F("…", T["…"], T.Format("…" (and the page models' t[…]/t.Format).</summary>
    [GeneratedRegex(@"(?:\bText\.[TF]\(|\b[Tt]\[|\b[Tt]\.Format\()\s*""(?<key>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex CatalogueUse();

    [GeneratedRegex(@"@?\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    /// <summary>
/// Chinese, then a spaced ASCII parenthesis holding a lower-case word: "未找到 (not found)"; not "工作簿 (XLSX)", nor
/// a call inside an interpolation.
/// </summary>
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}[^\n]*\s\([ -~]*[a-z]{2,}[ -~]*\)")]
    private static partial Regex Mixed();
}
