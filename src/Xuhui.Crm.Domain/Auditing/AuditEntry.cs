namespace Xuhui.Crm.Domain.Auditing;

/// <summary>A field-level change to an audited entity, written in the same transaction as the change.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public long FirmId { get; set; }
    public string EntityType { get; set; } = string.Empty;
    public long EntityId { get; set; }

    /// <summary>created, updated, deleted.</summary>
    public string Action { get; set; } = string.Empty;

    public List<AuditChange> Changes { get; set; } = [];
    public long? UserId { get; set; }
    public DateTime At { get; set; }
}

public sealed record AuditChange(string Field, string? Old, string? New);
