namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>
/// Finds the header row among the first rows (titles and merged group headers above it are common) and maps its
/// columns: explicit mapping first (by header text or column letter), then the known headers, then the group
/// header above joined to the cell ("联系人" over "电话").
/// </summary>
public sealed class ImportHeader
{
    public const int SearchRows = 20;

    private ImportHeader(int row, Dictionary<int, ImportField> fields, List<ImportColumn> columns)
    {
        Row = row;
        Fields = fields;
        Columns = columns;
    }

    /// <summary>1-based row number of the header.</summary>
    public int Row { get; }

    /// <summary>Column index → field.</summary>
    public Dictionary<int, ImportField> Fields { get; }

    public List<ImportColumn> Columns { get; }

    public static ImportHeader? Find(IReadOnlyList<(int Row, string?[] Cells)> first, IReadOnlyDictionary<string, string> mapping)
    {
        var explicitMap = new Dictionary<string, ImportField?>(StringComparer.Ordinal);
        foreach (var (key, target) in mapping)
        {
            if (ImportFields.TryParseTarget(target, out var f))
            {
                explicitMap[ImportFields.Key(key)] = f;
            }
        }

        ImportHeader? best = null;
        var bestScore = 1;
        for (var i = 0; i < first.Count; i++)
        {
            var candidate = Build(first, i, explicitMap);
            var score = candidate.Fields.Count;
            var hasKey = candidate.Fields.Values.Any(f => f is ImportField.Name or ImportField.CreditCode);
            if (hasKey && score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    private static ImportHeader Build(IReadOnlyList<(int Row, string?[] Cells)> rows, int index, Dictionary<string, ImportField?> explicitMap)
    {
        var (row, cells) = rows[index];
        var above = index > 0 ? rows[index - 1].Cells : [];
        (cells, above) = Spread(cells, above);
        var fields = new Dictionary<int, ImportField>();
        var columns = new List<ImportColumn>();
        for (var c = 0; c < cells.Length; c++)
        {
            var header = cells[c]?.Trim();
            var group = c < above.Length ? above[c]?.Trim() : null;
            var letter = ImportFields.ColumnLetter(c);
            if (string.IsNullOrEmpty(header))
            {
                if (explicitMap.TryGetValue(ImportFields.Key(letter), out var byLetter) && byLetter is { } lf && !fields.ContainsValue(lf))
                {
                    fields[c] = lf;
                    columns.Add(new ImportColumn(letter, null, ImportFields.Camel(lf), "mapped"));
                }

                continue;
            }

            var joined = string.IsNullOrEmpty(group) || group == header ? null : group + header;
            ImportField? field = null;
            string status;
            if (TryExplicit(explicitMap, letter, header, joined, out var mapped))
            {
                field = mapped;
                status = mapped is null ? "ignored" : "mapped";
            }
            else
            {
                field = ImportFields.Recognise(header) is { } h && (joined is null || ImportFields.Recognise(joined) is null) ? h
                    : joined is not null ? ImportFields.Recognise(joined) ?? ImportFields.Recognise(header) : null;
                status = field is null ? "unknown" : "recognised";
            }

            if (field is { } f)
            {
                if (fields.ContainsValue(f))
                {
                    columns.Add(new ImportColumn(letter, header, ImportFields.Camel(f), "duplicate"));
                    continue;
                }

                fields[c] = f;
            }

            var shown = joined is not null && (ImportFields.Recognise(joined) is not null || ImportFields.Recognise(header) is null) ? joined : header;
            columns.Add(new ImportColumn(letter, shown, field is null ? null : ImportFields.Camel(field.Value), status));
        }

        return new ImportHeader(row, fields, columns);
    }

    /// <summary>
    /// Merged header cells hold their text in the first cell only: an empty header cell under a group header takes
    /// the text above (a vertical merge), and an empty group cell takes the group text on its left (a horizontal one).
    /// </summary>
    private static (string?[] Cells, string?[] Above) Spread(string?[] cells, string?[] above)
    {
        var width = Math.Max(cells.Length, above.Length);
        var c = new string?[width];
        var a = new string?[width];
        string? left = null;
        for (var i = 0; i < width; i++)
        {
            var own = i < cells.Length ? cells[i] : null;
            var up = i < above.Length ? above[i] : null;
            if (!string.IsNullOrWhiteSpace(up))
            {
                left = up;
            }

            c[i] = string.IsNullOrWhiteSpace(own) ? up : own;
            a[i] = string.IsNullOrWhiteSpace(up) && !string.IsNullOrWhiteSpace(own) ? left : up;
        }

        return (c, a);
    }

    private static bool TryExplicit(Dictionary<string, ImportField?> map, string letter, string header, string? joined, out ImportField? field) =>
        map.TryGetValue(ImportFields.Key(letter), out field)
        || (joined is not null && map.TryGetValue(ImportFields.Key(joined), out field))
        || map.TryGetValue(ImportFields.Key(header), out field);
}
