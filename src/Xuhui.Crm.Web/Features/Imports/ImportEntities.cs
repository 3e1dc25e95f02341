using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xuhui.Crm.Domain.Users;

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

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> b)
    {
        b.ToTable("ImportRuns");
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.Format).HasMaxLength(8);
        b.Property(x => x.Encoding).HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => x.StartedAt);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ImportIssueConfiguration : IEntityTypeConfiguration<ImportIssue>
{
    public void Configure(EntityTypeBuilder<ImportIssue> b)
    {
        b.ToTable("ImportIssues");
        b.Property(x => x.Outcome).HasMaxLength(24);
        b.Property(x => x.Column).HasMaxLength(8);
        b.Property(x => x.Header).HasMaxLength(100);
        b.Property(x => x.Message).HasMaxLength(500);
        b.Property(x => x.CreditCode).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasIndex(x => new { x.ImportRunId, x.Row });
        b.HasOne<ImportRun>().WithMany().HasForeignKey(x => x.ImportRunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportMappingConfiguration : IEntityTypeConfiguration<ImportMapping>
{
    public void Configure(EntityTypeBuilder<ImportMapping> b)
    {
        b.ToTable("ImportMappings");
        b.Property(x => x.Name).HasMaxLength(100);
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Columns).HasConversion(
            v => System.Text.Json.JsonSerializer.Serialize(v, System.Text.Json.JsonSerializerOptions.Web),
            v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, System.Text.Json.JsonSerializerOptions.Web) ?? new Dictionary<string, string>(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                (a, c) => a!.Count == c!.Count && !a.Except(c).Any(),
                v => v.Count,
                v => new Dictionary<string, string>(v)));
    }
}
