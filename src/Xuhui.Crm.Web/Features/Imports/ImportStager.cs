using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>
/// Reads the sheet in chunks, looks each chunk's firms up by credit code, validates every row with the firm rules
/// (<see cref="FirmValidation"/>) and keeps only what would change. Nothing is written here.
/// </summary>
internal sealed class ImportStager(CrmDbContext db, ReferenceData reference, TimeProvider clock, long userId, SearchBacklogState backlog)
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

    /// <summary>Where the most recent staging spent its time: reading the sheet, converting cells, database lookups, row rules (benchmark note).</summary>
    public static (TimeSpan Reading, TimeSpan Converting, TimeSpan Lookups, TimeSpan Rows) LastTimings { get; private set; }

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
            ?? throw new ImportRejectedException("未找到表头：前 20 行中没有包含「企业名称」或「统一社会信用代码」的一行 (no header row with a firm name or credit code column)");
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
        LastTimings = (_reading.Elapsed - _converting.Elapsed, _converting.Elapsed, _lookups.Elapsed, _rows.Elapsed);
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

    /// <summary>A code that belongs to a merged (archived) firm leads to its survivor.</summary>
    private async Task FollowMergesAsync(Dictionary<string, Firm> byCode, CancellationToken ct)
    {
        var archived = byCode.Values.Where(f => f.IsArchived).Select(f => f.Id).ToList();
        if (archived.Count == 0)
        {
            return;
        }

        var merges = await db.FirmMerges.AsNoTracking().Where(m => archived.Contains(m.FromFirmId)).ToDictionaryAsync(m => m.FromFirmId, m => m.IntoFirmId, ct);
        if (merges.Count == 0)
        {
            return;
        }

        var intoIds = merges.Values.Distinct().ToList();
        var survivors = await db.Firms.AsNoTracking().Where(f => intoIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, ct);
        foreach (var (code, firm) in byCode.ToList())
        {
            if (merges.TryGetValue(firm.Id, out var into) && survivors.TryGetValue(into, out var survivor))
            {
                byCode[code] = survivor;
            }
        }
    }

    private async Task StageRowAsync(ParsedRow row, Firm? existing, ILookup<long, Contact> contacts, HashSet<(long, string)> cases, StagedImport staged, CancellationToken ct)
    {
        if (row.Code is { } code)
        {
            if (_codesSeen.TryGetValue(code, out var firstRow))
            {
                row.Error(ImportField.CreditCode, $"统一社会信用代码与第 {firstRow} 行重复 (duplicate credit code in the file, first at row {firstRow})");
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
            row.Error(ImportField.ContactName, "填写联系电话、职务或邮箱时须填写联系人姓名 (a contact needs a name)");
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
            var message = $"无统一社会信用代码，名称与已有企业 {string.Join("、", candidates)} 相同：请补充代码或合并后再导入 (possible duplicate)";
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
                update.Changes.Add(new FieldChange(field.ToString(), value, CrmDbContext.Format(current), CrmDbContext.Format(value)));
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

    private void StageCreate(ParsedRow row, StagedImport staged)
    {
        var today = _today;
        // An imported firm is in the deployment's district, like one created through the API (the sheet has no district column).
        var firm = new Firm { Status = FirmStatus.Active, DistrictCode = db.HomeDistrict, DistrictName = reference.DistrictName(db.HomeDistrict) };
        foreach (var (field, value) in row.Values.Where(v => ImportFields.IsFirmField(v.Key)))
        {
            FirmProperties[field].SetValue(firm, value);
        }

        firm.StatusChanges.Add(new FirmStatusChange
        {
            Status = FirmStatus.Active,
            EffectiveOn = firm.EstablishedOn is { } est && est <= today ? est : today,
            Note = "批量导入登记 (registered by import)",
            RecordedById = userId,
            RecordedAt = _now,
        });
        var create = new NewFirm { Row = row.Row, Firm = firm };
        if (row.Values.GetValueOrDefault(ImportField.ContactName) is string contactName)
        {
            create.Contact = new Contact
            {
                Name = contactName,
                Title = row.Values.GetValueOrDefault(ImportField.ContactTitle) as string,
                Phone = row.Values.GetValueOrDefault(ImportField.ContactPhone) as string,
                Email = row.Values.GetValueOrDefault(ImportField.ContactEmail) as string,
            };
        }

        if (row.Values.ContainsKey(ImportField.Program))
        {
            create.Case = NewCase(row, null);
        }

        staged.Creates.Add(create);
        Record(staged, row, Outcomes.Create, null, null, null);
    }

    private static void StageContact(ParsedRow row, long firmId, List<Contact> existing, FirmUpdate update)
    {
        if (row.Values.GetValueOrDefault(ImportField.ContactName) is not string name)
        {
            return;
        }

        var key = SearchText.Normalize(name);
        var match = existing.FirstOrDefault(c => SearchText.Normalize(c.Name) == key);
        if (match is null)
        {
            update.NewContact = new Contact
            {
                FirmId = firmId,
                Name = name,
                Title = row.Values.GetValueOrDefault(ImportField.ContactTitle) as string,
                Phone = row.Values.GetValueOrDefault(ImportField.ContactPhone) as string,
                Email = row.Values.GetValueOrDefault(ImportField.ContactEmail) as string,
            };
            return;
        }

        var changes = new List<FieldChange>();
        void Compare(ImportField field, string property, string? current)
        {
            if (row.Values.GetValueOrDefault(field) is string v && v != current)
            {
                changes.Add(new FieldChange(property, v, current, v));
            }
        }

        Compare(ImportField.ContactTitle, nameof(Contact.Title), match.Title);
        Compare(ImportField.ContactPhone, nameof(Contact.Phone), match.Phone);
        Compare(ImportField.ContactEmail, nameof(Contact.Email), match.Email);
        if (changes.Count > 0)
        {
            update.ContactChange = (match, changes);
        }
    }

    private Case NewCase(ParsedRow row, long? leadOfficerId)
    {
        var program = reference.Programs.Get((string)row.Values[ImportField.Program]!);
        var stage = row.Values.GetValueOrDefault(ImportField.Stage) as string ?? program.InitialStages[0];
        var today = _today;
        var open = program.FindStage(stage)!.Open;
        var on = row.Values.GetValueOrDefault(ImportField.CertificateIssuedOn) as DateOnly? ?? today;
        var c = new Case
        {
            Program = program.Code,
            Stage = stage,
            IsOpen = open,
            StageSince = on,
            OpenedOn = on,
            ClosedOn = open ? null : on,
            OwnerId = leadOfficerId ?? userId,
            CertificateNumber = row.Values.GetValueOrDefault(ImportField.CertificateNumber) as string,
            CertificateIssuedOn = row.Values.GetValueOrDefault(ImportField.CertificateIssuedOn) as DateOnly?,
        };
        if (c.CertificateIssuedOn is { } issued && program.Code == Domain.Programs.ProgramCatalog.Hnte)
        {
            c.CertificateExpiresOn = Case.DefaultHnteExpiry(issued);
        }

        c.Transitions.Add(new CaseTransition { ToStage = stage, On = on, Note = "批量导入 (imported)", ById = userId, At = _now });
        return c;
    }

    /// <summary>Firms whose name or former name, normalised, equals <paramref name="name"/>.</summary>
    private async Task<List<long>> SameNameAsync(string name, CancellationToken ct)
    {
        var key = SearchText.Normalize(name);
        if (key.Length == 0)
        {
            return [];
        }

        var lead = SearchText.LeadGram(key);
        var candidates = await db.Firms.AsNoTracking()
            .Where(f => !f.IsArchived && db.Set<FirmSearchGram>().Where(g => g.Gram == lead).Select(g => g.FirmId).Contains(f.Id) && f.SearchText.Contains(key))
            .Select(f => new { f.Id, f.SearchText }).Take(50).ToListAsync(ct);
        if (backlog.Pending)
        {
            // Firms another import committed whose grams are still being written (a renamed one's grams may still be
            // its old name's: the text check below drops those).
            candidates.AddRange(await db.Firms.AsNoTracking()
                .Where(f => !f.IsArchived && db.Set<FirmSearchBacklog>().Select(b => b.FirmId).Contains(f.Id) && f.SearchText.Contains(key))
                .Select(f => new { f.Id, f.SearchText }).Take(50).ToListAsync(ct));
        }

        return candidates.Where(c => c.SearchText.Split(SearchText.Separator).Contains(key)).Select(c => c.Id).Distinct().ToList();
    }

    /// <summary>The contacts API's rules, each error on the cell it came from: a row with a bad contact cell is an error row.</summary>
    private static void CheckContact(ParsedRow row, string name)
    {
        var request = new ContactRequest(
            null,
            name,
            row.Values.GetValueOrDefault(ImportField.ContactTitle) as string,
            row.Values.GetValueOrDefault(ImportField.ContactPhone) as string,
            row.Values.GetValueOrDefault(ImportField.ContactEmail) as string,
            null);
        foreach (var (key, messages) in ContactRules.Validate(request).ToDictionary())
        {
            var field = key switch
            {
                "phone" => ImportField.ContactPhone,
                "email" => ImportField.ContactEmail,
                "title" => ImportField.ContactTitle,
                _ => ImportField.ContactName,
            };
            foreach (var message in messages)
            {
                row.Error(field, message);
            }
        }
    }

    private static ImportField? FieldOf(string key, ParsedRow row)
    {
        ImportField? field = key switch
        {
            "name" => ImportField.Name,
            "creditCode" or "creditCodeOverrideReason" => ImportField.CreditCode,
            "zone" => ImportField.Zone,
            "industry" => ImportField.Industry,
            "techField" => ImportField.TechField,
            "headcount" => ImportField.Headcount,
            "rdHeadcount" => row.Values.ContainsKey(ImportField.RdHeadcount) ? ImportField.RdHeadcount : ImportField.Headcount,
            "inventionPatents" => ImportField.InventionPatents,
            "coreIpCount" => ImportField.CoreIpCount,
            _ => null,
        };
        return field is { } f && (row.Values.ContainsKey(f) || f is ImportField.Name or ImportField.CreditCode) ? f : null;
    }

    private void Record(StagedImport staged, ParsedRow row, string outcome, long? firmId, List<string>? changes, List<RowIssue>? _, string? message = null, List<long>? candidates = null)
    {
        if (outcome == Outcomes.Error)
        {
            staged.ErrorRows++;
            staged.Issues.AddRange(row.Errors.Select(e => Issue(row, outcome, e.Column, e.Header, e.Message, firmId)));
        }
        else if (outcome == Outcomes.PossibleDuplicate)
        {
            staged.Duplicates++;
            staged.Issues.Add(Issue(row, outcome, null, null, message!, candidates?.FirstOrDefault()));
        }

        var result = new RowResult(row.Row, outcome, row.Code, row.Name, firmId ?? candidates?.FirstOrDefault(), changes,
            outcome == Outcomes.Error ? row.Errors : message is null ? null : [new RowIssue(null, null, null, message)], candidates);
        if (outcome is Outcomes.Error or Outcomes.PossibleDuplicate)
        {
            if (staged.Results.Count < ImportReport.RowLimit)
            {
                staged.Results.Add(result);
            }
        }
        else if (_others.Count < ImportReport.RowLimit)
        {
            _others.Add(result);
        }
    }

    private static ImportIssue Issue(ParsedRow row, string outcome, string? column, string? header, string message, long? firmId) => new()
    {
        Row = row.Row,
        Outcome = outcome,
        Column = column,
        Header = header is { Length: > 100 } ? header[..100] : header,
        Message = message.Length > 500 ? message[..500] : message,
        CreditCode = row.Code is { Length: > 64 } c ? c[..64] : row.Code,
        Name = row.Name is { Length: > 200 } n ? n[..200] : row.Name,
        FirmId = firmId,
    };
}
