using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Web.Data.Pipeline;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// What a save needs from the request: who is making the change and the changes that are not scalar properties. The
/// save itself (versions, times, district, audit rows, in one transaction) is <see cref="SavePipeline"/>'s.
/// </summary>
public sealed partial class CrmDbContext
{
    private readonly List<AuditEntry> _extraAudit = [];

    /// <summary>Who is making the change; set per request.</summary>
    public long? ActorId { get; set; }

    /// <summary>Changes recorded for the next save's audit (<see cref="RecordChange"/>).</summary>
    internal List<AuditEntry> ExtraAudit => _extraAudit;

    /// <summary>Records a change that is not a scalar property (e.g. a firm's co-officers).</summary>
    public void RecordChange(long firmId, string entityType, long entityId, string field, string? oldValue, string? newValue) =>
        _extraAudit.Add(new AuditEntry
        {
            FirmId = firmId,
            EntityType = entityType,
            EntityId = entityId,
            Action = AuditRows.Updated,
            Changes = [new AuditChange(field, oldValue, newValue)],
        });

    /// <summary>Saves take the async path only: the pipeline's steps await (the write gate, the follow-up writes).</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();
}
