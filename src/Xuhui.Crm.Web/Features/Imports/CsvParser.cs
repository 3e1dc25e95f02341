using System.Text;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>RFC 4180 CSV, streamed: quoted fields with doubled quotes and line breaks; the delimiter (comma, tab or semicolon) is taken from the first line.</summary>
public static class CsvParser
{
    public static char Choose(string? line)
    {
        line ??= string.Empty;
        var commas = line.Count(c => c == ',');
        var tabs = line.Count(c => c == '\t');
        var semicolons = line.Count(c => c == ';');
        return tabs > commas && tabs >= semicolons ? '\t' : semicolons > commas ? ';' : ',';
    }

    public static IEnumerable<string?[]> Parse(TextReader reader, char delimiter)
    {
        var cells = new List<string?>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        int ch;
        while ((ch = reader.Read()) >= 0)
        {
            var c = (char)ch;
            any = true;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && field.Length == 0)
            {
                inQuotes = true;
            }
            else if (c == delimiter)
            {
                cells.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                cells.Add(field.ToString());
                field.Clear();
                yield return cells.ToArray();
                cells.Clear();
                any = false;
            }
            else if (c != '\uFEFF' || cells.Count > 0 || field.Length > 0)
            {
                field.Append(c);
            }
        }

        if (any)
        {
            cells.Add(field.ToString());
            yield return cells.ToArray();
        }
    }
}
