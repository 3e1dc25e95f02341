using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>The staging of one row once it is validated: what a new or updated firm, contact and case would be, and the report lines.</summary>
internal sealed partial class ImportStager
{
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
            Note = StatusNotes.Imported,
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

        c.Transitions.Add(new CaseTransition { ToStage = stage, On = on, Note = Text.T("批量导入"), ById = userId, At = _now });
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
            "rdHeadcount" => row.Values.ContainsKey(ImportField.RdHeadcount) ? ImportField.RdHeadcount : ImportField.Headcount,
            // A plain integer field's rule answers under its own (camelCase) name.
            _ => Enum.TryParse<ImportField>(key, ignoreCase: true, out var named) && ImportFields.Camel(named) == key
                && ImportFields.KindOf(named) is ImportKind.WholeNumber ? named : null,
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
