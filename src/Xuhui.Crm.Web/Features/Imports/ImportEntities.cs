namespace Xuhui.Crm.Web.Features.Imports;

public enum ImportStatus
{
    Running,

    /// <summary>A dry run finished: nothing was written but the history row and its issues.</summary>
    Previewed,
    Committed,

    /// <summary>Error rows and no permission to skip them: nothing was written.</summary>
    Refused,
    Failed,

    /// <summary>The process died while the import ran; a commit is one transaction with this row, so nothing was written.</summary>
    Interrupted,
}

/// <summary>One upload, previewed or committed: who, when, what came of each kind of row, and progress while it runs.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public string FileName { get; set; } = string.Empty;
    public string Format { get; set; } = string.Empty;
    public string? Encoding { get; set; }
    public bool DryRun { get; set; }
    public bool SkipErrors { get; set; }
    public ImportStatus Status { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int RowsRead { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int ErrorRows { get; set; }
    public int Duplicates { get; set; }
    public string? Message { get; set; }
}

/// <summary>A row of an import that did not go through as is: an error, or a possible duplicate by name.</summary>
public sealed class ImportIssue
{
    public long Id { get; set; }
    public long ImportRunId { get; set; }
    public int Row { get; set; }
    public string Outcome { get; set; } = string.Empty;
    public string? Column { get; set; }
    public string? Header { get; set; }
    public string Message { get; set; } = string.Empty;
    public string? CreditCode { get; set; }
    public string? Name { get; set; }
    public long? FirmId { get; set; }
}

/// <summary>An office's column mapping (header text → field or "ignore"), saved by name for its next file.</summary>
public sealed class ImportMapping
{
    public long Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public Dictionary<string, string> Columns { get; set; } = [];
    public long UpdatedById { get; set; }
    public DateTime UpdatedAt { get; set; }
}
