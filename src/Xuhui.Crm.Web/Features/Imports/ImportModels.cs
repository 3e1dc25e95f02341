using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Features.Imports;

public static class Outcomes
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Unchanged = "unchanged";
    public const string Error = "error";

    /// <summary>No credit code, but the name matches an existing firm: left for the user to decide.</summary>
    public const string PossibleDuplicate = "possibleDuplicate";
}

/// <param name="Column">Sheet column letter.</param>
/// <param name="Status">recognised, mapped, ignored, unknown (ignored and reported) or duplicate (a second column for the same field).</param>
public sealed record ImportColumn(string Column, string? Header, string? Field, string Status);

public sealed record RowIssue(string? Column, string? Header, string? Field, string Message);

public sealed record RowResult(
    int Row, string Outcome, string? CreditCode, string? Name, long? FirmId, List<string>? Changes, List<RowIssue>? Errors, List<long>? Candidates);

public sealed record ImportCounts(int Rows, int Create, int Update, int Unchanged, int Error, int PossibleDuplicate);

/// <summary>What an import did or would do; <see cref="Rows"/> lists at most <see cref="ImportReport.RowLimit"/> rows (errors first), the rest are in the downloadable report.</summary>
public sealed record ImportReport(
    long Id,
    bool DryRun,
    string Status,
    string FileName,
    string Format,
    string? Encoding,
    int HeaderRow,
    List<ImportColumn> Columns,
    ImportCounts Counts,
    List<RowResult> Rows,
    bool RowsTruncated,
    string? Message)
{
    public const int RowLimit = 1000;
}

public sealed record ImportRunDto(
    long Id, long UserId, string? UserName, string FileName, string Format, string? Encoding, bool DryRun, bool SkipErrors, string Status,
    DateTime StartedAt, DateTime? CompletedAt, int RowsRead, int Created, int Updated, int Unchanged, int ErrorRows, int PossibleDuplicates, string? Message)
{
    public static ImportRunDto From(ImportRun r, string? userName) => new(
        r.Id, r.UserId, userName, r.FileName, r.Format, r.Encoding, r.DryRun, r.SkipErrors, Json(r.Status), r.StartedAt, r.CompletedAt,
        r.RowsRead, r.Created, r.Updated, r.Unchanged, r.ErrorRows, r.Duplicates, r.Message);

    internal static string Json(ImportStatus s) => char.ToLowerInvariant(s.ToString()[0]) + s.ToString()[1..];
}

public sealed record ImportMappingDto(string Name, Dictionary<string, string> Columns, DateTime UpdatedAt);

/// <summary>A field change of an existing firm: property name, new value, and both as audit text.</summary>
internal sealed record FieldChange(string Property, object? Value, string? Old, string? New);

internal sealed class NewFirm
{
    public required int Row { get; init; }
    public required Firm Firm { get; init; }
    public Contact? Contact { get; set; }
    public Case? Case { get; set; }
}

internal sealed class FirmUpdate
{
    public required int Row { get; init; }
    public required Firm Firm { get; init; }
    public List<FieldChange> Changes { get; } = [];
    public Contact? NewContact { get; set; }
    public (Contact Contact, List<FieldChange> Changes)? ContactChange { get; set; }
    public Case? NewCase { get; set; }

    public bool Any => Changes.Count > 0 || NewContact is not null || ContactChange is not null || NewCase is not null;
}

/// <summary>Everything parsed and compared, ready to be applied in one transaction.</summary>
internal sealed class StagedImport
{
    public List<NewFirm> Creates { get; } = [];
    public List<FirmUpdate> Updates { get; } = [];
    public List<RowResult> Results { get; } = [];
    public List<ImportIssue> Issues { get; } = [];
    public List<ImportColumn> Columns { get; set; } = [];
    public int HeaderRow { get; set; }
    public int Rows { get; set; }
    public int Unchanged { get; set; }
    public int ErrorRows { get; set; }
    public int Duplicates { get; set; }

    public ImportCounts Counts => new(Rows, Creates.Count, Updates.Count, Unchanged, ErrorRows, Duplicates);
}
