namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>
/// Where the most recent import of this host spent its time, for the benchmark's note: one per host (a singleton), so
/// hosts side by side in one process do not overwrite each other's figures.
/// </summary>
public sealed class ImportDiagnostics
{
    /// <summary>Every phase of the most recent import, from the upload to the answer.</summary>
    public ImportPhases? Phases { get; internal set; }

    /// <summary>How long the write transaction of the most recent apply took.</summary>
    public TimeSpan LockTime { get; internal set; }

    /// <summary>Per staging table of the most recent apply: rows, time converting values, time running statements.</summary>
    public string WriterStats { get; internal set; } = string.Empty;

    /// <summary>Where the most recent staging spent its time: reading the sheet, converting cells, database lookups, row rules.</summary>
    public (TimeSpan Reading, TimeSpan Converting, TimeSpan Lookups, TimeSpan Rows) StagingTimings { get; internal set; }
}
