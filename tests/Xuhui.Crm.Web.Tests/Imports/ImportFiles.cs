using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>Spreadsheets built in the tests: CSV in any encoding, and XLSX written by hand so merged cells can be declared.</summary>
public static class ImportFiles
{
    private static int _counter;

    /// <summary>A unique valid credit code of a series distinct from TestData's.</summary>
    public static string Code() => CreditCode.WithCheckCharacter("91310104MA2" + Interlocked.Increment(ref _counter).ToString("D6", CultureInfo.InvariantCulture));

    public static string Code(int n) => CreditCode.WithCheckCharacter("91310104MA3" + n.ToString("D6", CultureInfo.InvariantCulture));

    public static byte[] Csv(IEnumerable<string?[]> rows, Encoding? encoding = null, bool bom = false)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row.Select(Quote))).Append("\r\n");
        }

        var enc = encoding ?? new UTF8Encoding(false);
        var bytes = enc.GetBytes(text.ToString());
        return bom ? [.. enc.GetPreamble().Length > 0 ? enc.GetPreamble() : "\uFEFF"u8.ToArray(), .. bytes] : bytes;
    }

    private static string Quote(string? v) => v is null ? string.Empty
        : v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;

    public static Encoding Gbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }

    /// <summary>A one-sheet workbook with inline strings; <paramref name="merges"/> like "A1:F1" (only the top-left cell holds the value).</summary>
    public static byte[] Xlsx(IEnumerable<string?[]> rows, params string[] merges)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Entry(zip, "_rels/.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Entry(zip, "xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Entry(zip, "xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            var sheet = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            var r = 0;
            foreach (var row in rows)
            {
                r++;
                sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{r}\">");
                for (var c = 0; c < row.Length; c++)
                {
                    if (row[c] is { } v)
                    {
                        sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{Column(c)}{r}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(v)}</t></is></c>");
                    }
                }

                sheet.Append("</row>");
            }

            sheet.Append("</sheetData>");
            if (merges.Length > 0)
            {
                sheet.Append(CultureInfo.InvariantCulture, $"<mergeCells count=\"{merges.Length}\">");
                foreach (var m in merges)
                {
                    sheet.Append(CultureInfo.InvariantCulture, $"<mergeCell ref=\"{m}\"/>");
                }

                sheet.Append("</mergeCells>");
            }

            sheet.Append("</worksheet>");
            Entry(zip, "xl/worksheets/sheet1.xml", sheet.ToString());
        }

        return ms.ToArray();
    }

    private static string Column(int index)
    {
        var s = string.Empty;
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
        {
            s = (char)('A' + ((i - 1) % 26)) + s;
        }

        return s;
    }

    private static void Entry(ZipArchive zip, string name, string content)
    {
        using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        w.Write(content);
    }

    /// <summary>POST /api/imports with the file and optional form fields.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] file, string fileName, string query = "", params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value, Encoding.UTF8), name);
        }

        return await client.PostAsync("/api/imports" + query, form);
    }
}
