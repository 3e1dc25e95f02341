using System.Globalization;
using System.Text;
using System.Xml;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using Catalogue = Xuhui.Crm.Web.Shared.Localisation.Text;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>The upload is refused as a whole (not a spreadsheet, corrupt, no header): a 400, never a 500.</summary>
public sealed class ImportRejectedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An uploaded sheet spooled to a temporary file (never held whole in memory) and read back row by row as text
/// cells. XLSX through MiniExcel with merged cells filled; CSV in UTF-8 or GB18030 (GBK), detected from the bytes.
/// </summary>
public sealed class SpreadsheetFile : IDisposable
{
    private static readonly Lazy<Encoding> Gb18030 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    });

    private SpreadsheetFile(string path, string fileName, string format, Encoding? encoding)
    {
        Path = path;
        FileName = fileName;
        Format = format;
        Encoding = encoding;
    }

    public string Path { get; }
    public string FileName { get; }

    /// <summary>xlsx or csv.</summary>
    public string Format { get; }

    public Encoding? Encoding { get; }

    public string? EncodingName => Encoding switch
    {
        null => null,
        UTF8Encoding => "UTF-8",
        _ => Encoding.WebName.ToUpperInvariant(),
    };

    public static async Task<SpreadsheetFile> SpoolAsync(Stream content, string? fileName, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xuhui-import-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(target, ct);
            }

            return Open(path, fileName ?? "upload");
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static SpreadsheetFile Open(string path, string fileName)
    {
        var head = new byte[4096];
        int read;
        using (var s = File.OpenRead(path))
        {
            read = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var span = head.AsSpan(0, read);
        if (read == 0)
        {
            throw new ImportRejectedException(Catalogue.T("文件为空"));
        }

        if (span.StartsWith("PK\u0003\u0004"u8))
        {
            return new SpreadsheetFile(path, fileName, "xlsx", null);
        }

        if (span.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 }))
        {
            throw new ImportRejectedException(Catalogue.T("不支持旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 或 CSV"));
        }

        var extension = System.IO.Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is ".xlsx" or ".xlsm")
        {
            throw new ImportRejectedException(Catalogue.T("文件已损坏或不是 Excel 文件"));
        }

        var utf16 = span.StartsWith(new byte[] { 0xFF, 0xFE }) || span.StartsWith(new byte[] { 0xFE, 0xFF });
        if (!utf16 && (span.Contains((byte)0) || LooksBinary(span)))
        {
            throw new ImportRejectedException(Catalogue.T("无法识别的文件：请上传 .xlsx 或 CSV 文件"));
        }

        return new SpreadsheetFile(path, fileName, "csv", utf16 ? (span[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode) : DetectEncoding(path, span));
    }

    /// <summary>A byte-order mark or bytes that are all valid UTF-8 mean UTF-8; anything else is read as GB18030 (a superset of GBK).</summary>
    private static Encoding DetectEncoding(string path, ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
        {
            return new UTF8Encoding(false);
        }

        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[81920];
        var chars = new char[81920];
        using var s = File.OpenRead(path);
        try
        {
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
            {
                decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
            }

            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return Gb18030.Value;
        }
    }

    private static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        var control = 0;
        foreach (var b in head)
        {
            if (b < 0x09 || b is > 0x0D and < 0x20)
            {
                control++;
            }
        }

        return control > head.Length / 20;
    }

    /// <summary>Rows as text cells, with their 1-based sheet row numbers; blank rows are yielded too (the caller skips them).</summary>
    public IEnumerable<(int Row, string?[] Cells)> Rows() => Format == "xlsx" ? Guard(XlsxRows()) : CsvRows();

    private IEnumerable<(int Row, string?[] Cells)> XlsxRows()
    {
        using var stream = File.OpenRead(Path);
        // Shared strings stay in memory up to 64 MB of sharedStrings.xml, which a district-sized sheet stays well under:
        // MiniExcel's disk cache, at its 5 MB default, turned every text cell into file reads.
        var config = new OpenXmlConfiguration { FillMergedCells = true, EnableSharedStringCache = true, SharedStringCacheSize = 64 * 1024 * 1024 };
        var row = 0;
        foreach (IDictionary<string, object?> cells in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX, configuration: config))
        {
            row++;
            var values = new string?[cells.Count];
            var i = 0;
            foreach (var (key, value) in cells)
            {
                var index = ColumnIndex(key);
                if (index >= values.Length)
                {
                    Array.Resize(ref values, index + 1);
                }

                values[index < 0 ? i : index] = Text(value);
                i++;
            }

            yield return (row, values);
        }
    }

    /// <summary>Corrupt workbooks fail while being read: the failure becomes a rejection, not a 500.</summary>
    private static IEnumerable<(int, string?[])> Guard(IEnumerable<(int, string?[])> rows)
    {
        using var e = rows.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext())
                {
                    yield break;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or XmlException or IOException or InvalidOperationException
                or NotSupportedException or ArgumentException or FormatException or NullReferenceException or IndexOutOfRangeException or KeyNotFoundException)
            {
                throw new ImportRejectedException(Catalogue.T("文件已损坏或不是 Excel 文件"), ex);
            }

            yield return e.Current;
        }
    }

    private static int ColumnIndex(string key)
    {
        var n = 0;
        foreach (var c in key)
        {
            if (c is < 'A' or > 'Z')
            {
                return -1;
            }

            n = (n * 26) + (c - 'A' + 1);
        }

        return n - 1;
    }

    internal static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private IEnumerable<(int Row, string?[] Cells)> CsvRows()
    {
        char delimiter;
        using (var probe = new StreamReader(Path, Encoding!, detectEncodingFromByteOrderMarks: true))
        {
            delimiter = CsvParser.Choose(probe.ReadLine());
        }

        using var reader = new StreamReader(Path, Encoding!, detectEncodingFromByteOrderMarks: true, bufferSize: 65536);
        var row = 0;
        foreach (var cells in CsvParser.Parse(reader, delimiter))
        {
            row++;
            yield return (row, cells);
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // A temp file left behind is harmless; the OS cleans its temp directory.
        }
    }
}
