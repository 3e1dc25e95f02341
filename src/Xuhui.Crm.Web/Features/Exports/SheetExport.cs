using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Xuhui.Crm.Web.Features.Exports;

public enum SheetKind
{
    Xlsx,
    Csv,
}

/// <summary>
/// Writes a query's rows as a download without materialising the list: CSV (UTF-8 with BOM, so Excel opens it)
/// straight to the response, XLSX through a temporary file (a zip needs its central directory last). Text that
/// starts like a formula (= + - @, tab, CR) is prefixed with an apostrophe so no spreadsheet evaluates it.
/// </summary>
public static class SheetExport
{
    public static bool TryFormat(string? format, out SheetKind kind)
    {
        kind = SheetKind.Xlsx;
        if (string.IsNullOrEmpty(format) || string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        kind = SheetKind.Csv;
        return string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
    }

    public static string? Neutralise(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    public static object? Cell(object? value) => value switch
    {
        null => null,
        string s => Neutralise(s),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => Domain.Time.ShanghaiTime.ToDate(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        Enum e => e.ToString(),
        _ => value,
    };

    public static async Task WriteAsync(HttpContext http, SheetKind kind, string baseName, IReadOnlyList<string> headers, IQueryable<object?[]> rows, CancellationToken ct, Action<object?[]>? map = null)
    {
        var fileName = $"{baseName}.{(kind == SheetKind.Csv ? "csv" : "xlsx")}";
        var response = http.Response;
        response.Headers.ContentDisposition = $"attachment; filename=\"{Ascii(fileName)}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
        response.Headers.CacheControl = "no-store";
        if (kind == SheetKind.Csv)
        {
            response.ContentType = "text/csv; charset=utf-8";
            await WriteCsvAsync(response.Body, headers, Mapped(rows.AsAsyncEnumerable(), map, ct), ct);
            return;
        }

        response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        var path = Path.Combine(Path.GetTempPath(), $"xuhui-export-{Guid.NewGuid():N}.xlsx");
        try
        {
            await Task.Run(() => MiniExcel.SaveAs(path, Dictionaries(headers, rows.AsEnumerable(), map), excelType: ExcelType.XLSX), ct);
            response.ContentLength = new FileInfo(path).Length;
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await file.CopyToAsync(response.Body, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async IAsyncEnumerable<object?[]> Mapped(IAsyncEnumerable<object?[]> rows, Action<object?[]>? map, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in rows.WithCancellation(ct))
        {
            map?.Invoke(row);
            yield return row;
        }
    }

    private static IEnumerable<Dictionary<string, object?>> Dictionaries(IReadOnlyList<string> headers, IEnumerable<object?[]> rows, Action<object?[]>? map)
    {
        foreach (var row in rows)
        {
            map?.Invoke(row);
            var d = new Dictionary<string, object?>(headers.Count);
            for (var i = 0; i < headers.Count; i++)
            {
                d[headers[i]] = Cell(row[i]);
            }

            yield return d;
        }
    }

    public static async Task WriteCsvAsync(Stream body, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        await body.WriteAsync("\uFEFF"u8.ToArray(), ct);
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 65536, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', headers.Select(Quote)));
        await foreach (var row in rows.WithCancellation(ct))
        {
            var line = new StringBuilder();
            // A row may carry values past the headers for the caller's own use: they are not written.
            for (var i = 0; i < headers.Count; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                line.Append(Quote(Cell(row[i]) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null));
            }

            await writer.WriteLineAsync(line, ct);
        }

        await writer.FlushAsync(ct);
    }

    private static string Quote(string? value) =>
        value is null ? string.Empty
        : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string Ascii(string name) => new(name.Select(c => c is >= ' ' and < (char)127 and not '"' ? c : '_').ToArray());
}
