using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Data.Pipeline;

/// <summary>
/// Field-level audit rows, as every write records them: a created row lists each field that has a value, an updated
/// row each field whose value changed (old and new), values formatted invariantly (<see cref="Format"/>); versions,
/// times and the search text are not audited. The save builds them from its entries; the importer's set-based writes
/// call the same functions.
/// </summary>
public static class AuditRows
{
    public const string Created = "created";
    public const string Updated = "updated";

    private static readonly HashSet<string> UnauditedFields =
        [nameof(IVersioned.Version), Stamps.UpdatedAt, Stamps.CreatedAt, nameof(Firm.SearchText)];

    /// <summary>Whether <paramref name="property"/>'s changes are audited.</summary>
    public static bool IsAudited(IReadOnlyProperty property) => !UnauditedFields.Contains(property.Name) && !property.IsPrimaryKey();

    /// <summary>The changes of an entry the save inserts (every field with a value) or updates (every changed field).</summary>
    public static List<AuditChange> Changes(EntityEntry entry)
    {
        var changes = new List<AuditChange>();
        foreach (var property in entry.Properties)
        {
            if (!IsAudited(property.Metadata))
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                if (Format(property.CurrentValue) is { } value)
                {
                    changes.Add(new AuditChange(property.Metadata.Name, null, value));
                }
            }
            else if (property.IsModified)
            {
                var before = Format(property.OriginalValue);
                var after = Format(property.CurrentValue);
                if (before != after)
                {
                    changes.Add(new AuditChange(property.Metadata.Name, before, after));
                }
            }
        }

        return changes;
    }

    /// <summary>The changes of a new row written without the change tracker: what <see cref="Changes"/> lists for it.</summary>
    public static List<AuditChange> OfNew(IEntityType type, object entity)
    {
        var changes = new List<AuditChange>();
        foreach (var property in type.GetProperties())
        {
            if (IsAudited(property) && property.PropertyInfo is { } info && Format(info.GetValue(entity)) is { } value)
            {
                changes.Add(new AuditChange(property.Name, null, value));
            }
        }

        return changes;
    }

    /// <summary>One audit row.</summary>
    public static AuditEntry Row(long firmId, string entityType, long entityId, string action, List<AuditChange> changes, long? userId, DateTime at) =>
        new()
        {
            FirmId = firmId,
            EntityType = entityType,
            EntityId = entityId,
            Action = action,
            Changes = changes,
            UserId = userId,
            At = at,
        };

    /// <summary>A value as the audit records it: invariant, dates as yyyy-MM-dd, times round-trip, lists joined with 、.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IEnumerable<string> list => string.Join("、", list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>
/// The field audit of the save: rows for its audited entries and the changes recorded on the context
/// (<see cref="CrmDbContext.RecordChange"/>), added after the first write (new rows have their ids then) and written
/// with the second, in the save's transaction.
/// </summary>
internal sealed class AuditStep : ISaveStep
{
    public SaveFollowUp? Before(SaveRun save)
    {
        var pending = new List<(EntityEntry Entry, string Action, List<AuditChange> Changes)>();
        foreach (var entry in save.Written)
        {
            if (entry.Entity is IAudited)
            {
                var changes = AuditRows.Changes(entry);
                if (changes.Count > 0 || entry.State == EntityState.Added)
                {
                    pending.Add((entry, entry.State == EntityState.Added ? AuditRows.Created : AuditRows.Updated, changes));
                }
            }
        }

        if (pending.Count == 0 && save.Db.ExtraAudit.Count == 0)
        {
            return null;
        }

        var now = save.Now;
        return (db, _) =>
        {
            foreach (var (entry, action, changes) in pending)
            {
                var audited = (IAudited)entry.Entity;
                db.AuditEntries.Add(AuditRows.Row(audited.AuditFirmId, entry.Metadata.ClrType.Name, audited.Id, action, changes, db.ActorId, now));
            }

            foreach (var extra in db.ExtraAudit)
            {
                extra.UserId = db.ActorId;
                extra.At = now;
                db.AuditEntries.Add(extra);
            }

            db.ExtraAudit.Clear();
            return Task.CompletedTask;
        };
    }
}
