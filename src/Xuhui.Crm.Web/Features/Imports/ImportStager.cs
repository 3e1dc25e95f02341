using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Data.Pipeline;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>
/// Reads the sheet in chunks, looks each chunk's firms up by credit code, validates every row with the firm rules
/// (<see cref="FirmValidation"/>) and keeps only what would change. Nothing is written here.
/// </summary>
internal sealed partial class ImportStager(CrmDbContext db, ReferenceData reference, TimeProvider clock, long userId, SearchBacklogState backlog, ImportDiagnostics diagnostics)
{
    private const int ChunkSize = 1000;

    private static readonly Dictionary<ImportField, PropertyInfo> FirmProperties = Enum.GetValues<ImportField>()
        .Where(ImportFields.IsFirmField)
        .ToDictionary(f => f, f => typeof(Firm).GetProperty(f.ToString())!);

    private static readonly Dictionary<ImportField, PropertyInfo> DtoProperties = Enum.GetValues<ImportField>()
        .Where(ImportFields.IsFirmField)
        .ToDictionary(f => f, f => typeof(FirmDto).GetProperty(f.ToString())!);

    private readonly ImportValues _values = new(reference, db.HomeDistrict, db.Model);
    private readonly Dictionary<string, int> _codesSeen = new(StringComparer.Ordinal);
    private readonly CadenceOptions _cadence = new();
    private readonly List<RowResult> _others = [];
    private readonly DateOnly _today = ShanghaiTime.Today(clock);
    private readonly DateTime _now = clock.GetUtcNow().UtcDateTime;
    private readonly System.Diagnostics.Stopwatch _reading = new();
    private readonly System.Diagnostics.Stopwatch _lookups = new();
    private readonly System.Diagnostics.Stopwatch _rows = new();
    private readonly System.Diagnostics.Stopwatch _converting = new();

    public async Task<StagedImport> StageAsync(SpreadsheetFile file, IReadOnlyDictionary<string, string> mapping, Func<int, Task> progress, CancellationToken ct)
    {
        var staged = new StagedImport();
        using var rows = file.Rows().GetEnumerator();
        var first = new List<(int Row, string?[] Cells)>();
        while (first.Count < ImportHeader.SearchRows && rows.MoveNext())
        {
            first.Add(rows.Current);
        }

        var header = ImportHeader.Find(first, mapping)
            ?? throw new ImportRejectedException(Text.T("未找到表头：前 20 行中没有包含「企业名称」或「统一社会信用代码」的一行"));
        staged.HeaderRow = header.Row;
        staged.Columns = header.Columns;

        var chunk = new List<ParsedRow>(ChunkSize);
        _reading.Start();
        foreach (var row in first.Where(r => r.Row > header.Row).Concat(Rest(rows)))
        {
            ct.ThrowIfCancellationRequested();
            if (row.Cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            _converting.Start();
            chunk.Add(Parse(row.Row, row.Cells, header));
            _converting.Stop();
            if (chunk.Count == ChunkSize)
            {
                _reading.Stop();
                await StageChunkAsync(chunk, staged, ct);
                chunk.Clear();
                await progress(staged.Rows);
                _reading.Start();
            }
        }

        _reading.Stop();
        await StageChunkAsync(chunk, staged, ct);
        diagnostics.StagingTimings = (_reading.Elapsed - _converting.Elapsed, _converting.Elapsed, _lookups.Elapsed, _rows.Elapsed);
        staged.Results.AddRange(_others.Take(Math.Max(0, ImportReport.RowLimit - staged.Results.Count)));
        return staged;
    }

    private static IEnumerable<(int Row, string?[] Cells)> Rest(IEnumerator<(int Row, string?[] Cells)> rows)
    {
        while (rows.MoveNext())
        {
            yield return rows.Current;
        }
    }

    private sealed record Cell(ImportField Field, string Column, string? Header, string Text);

    private sealed class ParsedRow
    {
        public required int Row { get; init; }
        public Dictionary<ImportField, object?> Values { get; } = [];
        public Dictionary<ImportField, Cell> Cells { get; } = [];
        public List<RowIssue> Errors { get; } = [];
        public string? Code => Values.GetValueOrDefault(ImportField.CreditCode) as string;
        public string? Name => Values.GetValueOrDefault(ImportField.Name) as string;

        public void Error(ImportField? field, string message)
        {
            var cell = field is { } f ? Cells.GetValueOrDefault(f) : null;
            Errors.Add(new RowIssue(cell?.Column, cell?.Header, field is null ? null : ImportFields.Camel(field.Value), message));
        }
    }

    private (int Index, ImportField Field, string Letter, string? Header)[]? _columns;

    private ParsedRow Parse(int rowNumber, string?[] cells, ImportHeader header)
    {
        var row = new ParsedRow { Row = rowNumber };
        foreach (var (index, field, letter, name) in _columns ??= header.Fields
            .Select(f => (f.Key, f.Value, ImportFields.ColumnLetter(f.Key), header.Columns.FirstOrDefault(c => c.Column == ImportFields.ColumnLetter(f.Key))?.Header))
            .OrderBy(c => c.Value == ImportField.Stage ? 1 : 0).ToArray())
        {
            var text = index < cells.Length ? cells[index]?.Trim() : null;
            if (!string.IsNullOrEmpty(text))
            {
                row.Cells[field] = new Cell(field, letter, name, text);
            }
        }

        // The programme first: a stage is read within it.
        foreach (var cell in row.Cells.Values)
        {
            var value = _values.Convert(cell.Field, cell.Text, row.Values.GetValueOrDefault(ImportField.Program) as string, out var error);
            if (error is not null)
            {
                row.Error(cell.Field, error);
            }
            else
            {
                row.Values[cell.Field] = value;
            }
        }

        return row;
    }

    private async Task StageChunkAsync(List<ParsedRow> chunk, StagedImport staged, CancellationToken ct)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        _lookups.Start();
        var codes = chunk.Select(r => r.Code).OfType<string>().Distinct().ToList();
        // One JSON parameter: the same cached query for every chunk, and SQLite probes the code index per value.
        var firms = await db.Firms.AsNoTracking().Where(f => EF.Parameter(codes).Contains(f.CreditCode!)).ToListAsync(ct);
        var byCode = firms.ToDictionary(f => f.CreditCode!, StringComparer.Ordinal);
        await FollowMergesAsync(byCode, ct);
        var ids = byCode.Values.Select(f => f.Id).Distinct().ToList();
        var contacts = chunk.Any(r => r.Cells.ContainsKey(ImportField.ContactName))
            ? (await db.Contacts.AsNoTracking().Where(c => EF.Parameter(ids).Contains(c.FirmId) && !c.IsArchived).ToListAsync(ct)).ToLookup(c => c.FirmId)
            : Array.Empty<Contact>().ToLookup(c => c.FirmId);
        var cases = chunk.Any(r => r.Cells.ContainsKey(ImportField.Program))
            ? (await db.Cases.AsNoTracking().Where(c => EF.Parameter(ids).Contains(c.FirmId)).Select(c => new { c.FirmId, c.Program }).ToListAsync(ct))
                .Select(c => (c.FirmId, c.Program)).ToHashSet()
            : [];
        _lookups.Stop();

        _rows.Start();
        foreach (var row in chunk)
        {
            staged.Rows++;
            var existing = row.Code is { } code && byCode.TryGetValue(code, out var f) ? f : null;
            await StageRowAsync(row, existing, contacts, cases, staged, ct);
        }

        _rows.Stop();
    }


    private async Task StageRowAsync(ParsedRow row, Firm? existing, ILookup<long, Contact> contacts, HashSet<(long, string)> cases, StagedImport staged, CancellationToken ct)
    {
        if (row.Code is { } code)
        {
            if (_codesSeen.TryGetValue(code, out var firstRow))
            {
                row.Error(ImportField.CreditCode, Text.F("统一社会信用代码与第 {0} 行重复", firstRow));
            }
            else
            {
                _codesSeen[code] = row.Row;
            }
        }

        var dto = existing is null ? new FirmDto() : FirmDto.From(existing, [], _cadence, withFinancials: false);
        foreach (var (field, value) in row.Values.Where(v => ImportFields.IsFirmField(v.Key)))
        {
            DtoProperties[field].SetValue(dto, value);
        }

        List<long>? candidates = null;
        if (existing is null && row.Code is null && row.Name is { } name)
        {
            candidates = await SameNameAsync(name, ct);
        }

        var validated = FirmValidation.Validate(dto, reference, db.HomeDistrict).ToDictionary();
        foreach (var (key, messages) in validated)
        {
            var field = FieldOf(key, row);
            if (field is null && existing is not null)
            {
                continue;
            }

            if (candidates is { Count: > 0 } && field == ImportField.CreditCode)
            {
                continue;
            }

            foreach (var message in messages)
            {
                row.Error(field, message);
            }
        }

        if (row.Values.Keys.Any(k => k is ImportField.ContactTitle or ImportField.ContactPhone or ImportField.ContactEmail) && row.Values.GetValueOrDefault(ImportField.ContactName) is null)
        {
            row.Error(ImportField.ContactName, Text.T("填写联系电话、职务或邮箱时须填写联系人姓名"));
        }
        else if (row.Values.GetValueOrDefault(ImportField.ContactName) is string contact)
        {
            CheckContact(row, contact);
        }

        if (row.Errors.Count > 0)
        {
            Record(staged, row, Outcomes.Error, existing?.Id, null, null);
            return;
        }

        if (candidates is { Count: > 0 })
        {
            var message = Text.F("无统一社会信用代码，名称与已有企业 {0} 相同：请补充代码或合并后再导入", string.Join(Text.IsEnglish ? ", " : "、", candidates));
            Record(staged, row, Outcomes.PossibleDuplicate, null, null, null, message, candidates);
            return;
        }

        if (existing is null)
        {
            StageCreate(row, staged);
            return;
        }

        var update = new FirmUpdate { Row = row.Row, Firm = existing };
        foreach (var (field, value) in row.Values.Where(v => ImportFields.IsFirmField(v.Key) && v.Key != ImportField.CreditCode))
        {
            var current = FirmProperties[field].GetValue(existing);
            if (!Equals(current, value))
            {
                update.Changes.Add(new FieldChange(field.ToString(), value, AuditRows.Format(current), AuditRows.Format(value)));
            }
        }

        StageContact(row, existing.Id, contacts[existing.Id].ToList(), update);
        if (row.Values.GetValueOrDefault(ImportField.Program) is string program && !cases.Contains((existing.Id, program)))
        {
            update.NewCase = NewCase(row, existing.LeadOfficerId);
        }

        if (update.Any)
        {
            staged.Updates.Add(update);
            var changed = update.Changes.Select(c => c.Property)
                .Concat(update.NewContact is null ? [] : ["+Contact"])
                .Concat(update.ContactChange is { } cc ? cc.Changes.Select(c => "Contact." + c.Property) : [])
                .Concat(update.NewCase is null ? [] : ["+Case"]).ToList();
            Record(staged, row, Outcomes.Update, existing.Id, changed, null);
        }
        else
        {
            staged.Unchanged++;
            Record(staged, row, Outcomes.Unchanged, existing.Id, null, null);
        }
    }
}
