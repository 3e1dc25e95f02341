namespace Xuhui.Crm.Web.Shared;

/// <summary>One audit row as the API shows it: a firm's history and a user's both read this shape.</summary>
public sealed record AuditEntryDto(long Id, string EntityType, long EntityId, string Action, List<Domain.Auditing.AuditChange> Changes, long? UserId, DateTime At);
