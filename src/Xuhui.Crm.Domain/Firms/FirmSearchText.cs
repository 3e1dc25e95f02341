using System.Text;

namespace Xuhui.Crm.Domain.Firms;

/// <summary>
/// What a firm is found by: its searchable fields, defined once here and read by every writer of the search text
/// (saves, imports, the generator) and of the gram index, and their normalisation (shared with what is searched).
/// </summary>
public static class FirmSearchText
{
    /// <summary>Separates names in a firm's search text; white space never survives normalisation, so a query cannot span two names.</summary>
    public const char Separator = '\n';

    /// <summary>The firm's properties its search text is built from: a change to any of them reindexes the firm.</summary>
    public static readonly IReadOnlyList<string> Fields =
        [nameof(Firm.Name), nameof(Firm.EnglishName), nameof(Firm.CreditCode), nameof(Firm.FormerNames)];

    extension(Firm firm)
    {
        /// <summary>The values of <see cref="Fields"/>, in that order.</summary>
        public IEnumerable<string?> SearchableValues() => [firm.Name, firm.EnglishName, firm.CreditCode, .. firm.FormerNames];

        /// <summary>The normalised search text of the firm's current values (what <see cref="Firm.SearchText"/> holds).</summary>
        public string SearchableText() => Build(firm.SearchableValues());
    }

    /// <summary>NFKC (full-width letters, digits and brackets fold: （上海） = (上海)), white space removed, lower case.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var folded = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(folded.Length);
        foreach (var rune in folded.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                continue;
            }

            sb.Append(Rune.ToLowerInvariant(rune).ToString());
        }

        return sb.ToString();
    }

    /// <summary>The normalised, distinct, non-empty parts joined by <see cref="Separator"/>.</summary>
    public static string Build(IEnumerable<string?> parts) =>
        string.Join(Separator, parts.Select(Normalize).Where(p => p.Length > 0).Distinct());
}
