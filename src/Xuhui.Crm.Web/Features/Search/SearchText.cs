using System.Globalization;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>Normalisation shared by what is indexed and what is searched.</summary>
public static class SearchText
{
    /// <inheritdoc cref="FirmSearchText.Separator"/>
    public const char Separator = FirmSearchText.Separator;

    /// <inheritdoc cref="FirmSearchText.Normalize"/>
    public static string Normalize(string? text) => FirmSearchText.Normalize(text);

    /// <inheritdoc cref="FirmSearchText.Build"/>
    public static string Build(IEnumerable<string?> parts) => FirmSearchText.Build(parts);

    /// <summary>Every character and every adjacent pair of characters of each name.</summary>
    public static HashSet<string> Grams(string searchText)
    {
        var grams = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in searchText.Split(Separator))
        {
            var runes = part.EnumerateRunes().Select(r => r.ToString()).ToArray();
            for (var i = 0; i < runes.Length; i++)
            {
                grams.Add(runes[i]);
                if (i + 1 < runes.Length)
                {
                    grams.Add(runes[i] + runes[i + 1]);
                }
            }
        }

        return grams;
    }

    /// <summary>The gram used to find candidates for a normalised query: itself up to two characters, else its first pair.</summary>
    public static string LeadGram(string normalizedQuery)
    {
        var runes = normalizedQuery.EnumerateRunes().Take(2).Select(r => r.ToString());
        return string.Concat(runes);
    }

    /// <summary>The last pair of characters of a normalised query of three or more characters.</summary>
    public static string TailGram(string normalizedQuery)
    {
        var runes = normalizedQuery.EnumerateRunes().Select(r => r.ToString()).ToArray();
        return runes.Length < 2 ? normalizedQuery : runes[^2] + runes[^1];
    }

    public static int RuneLength(string s) => s.EnumerateRunes().Count();

    internal static string Invariant(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);
}
