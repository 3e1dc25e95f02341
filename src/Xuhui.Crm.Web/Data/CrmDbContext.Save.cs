using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Every save bumps versions, stamps times, keeps the search grams in step and writes field-level audit rows,
/// all in one transaction: when the save fails, nothing of it (audit included) is written.
/// </summary>
public sealed partial class CrmDbContext
{
    private static readonly HashSet<string> UnauditedFields =
        [nameof(IVersioned.Version), "UpdatedAt", "CreatedAt", nameof(Firm.SearchText)];

    private readonly List<AuditEntry> _extraAudit = [];

    /// <summary>Who is making the change; set per request.</summary>
    public long? ActorId { get; set; }

    /// <summary>Records a change that is not a scalar property (e.g. a firm's co-officers).</summary>
    public void RecordChange(long firmId, string entityType, long entityId, string field, string? oldValue, string? newValue) =>
        _extraAudit.Add(new AuditEntry
        {
            FirmId = firmId,
            EntityType = entityType,
            EntityId = entityId,
            Action = "updated",
            Changes = [new AuditChange(field, oldValue, newValue)],
        });

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Background batch writers (the gram backlog) let a save in between their batches (SQLite has one writer).
        using var saving = WriteGate.Enter();
        if (Database.CurrentTransaction is null)
        {
            await WriteGate.WaitForBatchAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }

        ChangeTracker.DetectChanges();
        // Whatever path built the entities, text PostgreSQL would refuse (or no column should hold) never reaches it.
        var rejected = Shared.InputRules.CheckEntries(ChangeTracker.Entries());
        if (rejected.Any)
        {
            throw new Shared.InputRejectedException(rejected);
        }

        // A user or token written (login, logout, deactivation, role or password change): the cached token lookups of
        // this process are dropped once the save is over, whether it committed or not.
        var signInChange = false;
        var firmChange = false;
        foreach (var e in ChangeTracker.Entries())
        {
            if (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                signInChange |= e.Entity is Domain.Users.User or Domain.Users.AccessToken;
                // A firm created, deleted (its grams cascade) or with new grams (name, code, archiving): see NeedsReindex.
                firmChange |= e.Entity is Firm && (e.State != EntityState.Modified || NeedsReindex(e));
            }
        }

        try
        {
            return await SaveAuditedAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            if (signInChange)
            {
                SignInChanged?.Invoke();
            }

            if (firmChange)
            {
                SearchIndexChanged?.Invoke();
            }
        }
    }

    private async Task<int> SaveAuditedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow().UtcDateTime;

        var pending = new List<(EntityEntry Entry, string Action, List<AuditChange> Changes)>();
        var reindex = new List<Firm>();
        foreach (var entry in ChangeTracker.Entries().ToList())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            Stamp(entry, now);
            StampDistrict(entry);
            if (entry.Entity is Firm firm && NeedsReindex(entry))
            {
                firm.SearchText = firm.SearchableText();
                reindex.Add(firm);
            }

            if (entry.Entity is IAudited)
            {
                var changes = Diff(entry);
                if (changes.Count > 0 || entry.State == EntityState.Added)
                {
                    pending.Add((entry, entry.State == EntityState.Added ? "created" : "updated", changes));
                }
            }
        }

        if (pending.Count == 0 && reindex.Count == 0 && _extraAudit.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var tx = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        foreach (var (entry, action, changes) in pending)
        {
            var audited = (IAudited)entry.Entity;
            AuditEntries.Add(new AuditEntry
            {
                FirmId = audited.AuditFirmId,
                EntityType = entry.Metadata.ClrType.Name,
                EntityId = audited.Id,
                Action = action,
                Changes = changes,
                UserId = ActorId,
                At = now,
            });
        }

        foreach (var extra in _extraAudit)
        {
            extra.UserId = ActorId;
            extra.At = now;
            AuditEntries.Add(extra);
        }

        _extraAudit.Clear();
        foreach (var firm in reindex)
        {
            await Set<FirmSearchGram>().Where(g => g.FirmId == firm.Id).ExecuteDeleteAsync(cancellationToken);
            // Archived firms leave search: their grams go, so a query-only count never has to read firm rows.
            if (!firm.IsArchived)
            {
                Set<FirmSearchGram>().AddRange(FirmSearchGram.For(firm));
            }
        }

        count += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (tx is not null)
        {
            await tx.CommitAsync(cancellationToken);
        }

        return count;
    }

    private static void Stamp(EntityEntry entry, DateTime now)
    {
        if (entry.State == EntityState.Added)
        {
            SetIfPresent(entry, "CreatedAt", now);
        }

        SetIfPresent(entry, "UpdatedAt", now);
        if (entry.Entity is IVersioned versioned)
        {
            if (entry.State == EntityState.Added)
            {
                versioned.Version = 1;
            }
            else
            {
                versioned.Version = (int)entry.Property(nameof(IVersioned.Version)).OriginalValue! + 1;
            }
        }
    }

    private static void SetIfPresent(EntityEntry entry, string name, DateTime now)
    {
        var property = entry.Metadata.FindProperty(name);
        if (property is not null && property.ClrType == typeof(DateTime))
        {
            entry.Property(name).CurrentValue = now;
        }
    }

    private static bool NeedsReindex(EntityEntry entry) =>
        entry.State == EntityState.Added
        || FirmSearchText.Fields.Any(field => entry.Property(field).IsModified)
        || entry.Property(nameof(Firm.IsArchived)).IsModified;

    private static List<AuditChange> Diff(EntityEntry entry)
    {
        var changes = new List<AuditChange>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (UnauditedFields.Contains(name) || property.Metadata.IsPrimaryKey())
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                var value = Format(property.CurrentValue);
                if (value is not null)
                {
                    changes.Add(new AuditChange(name, null, value));
                }
            }
            else if (property.IsModified)
            {
                var before = Format(property.OriginalValue);
                var after = Format(property.CurrentValue);
                if (before != after)
                {
                    changes.Add(new AuditChange(name, before, after));
                }
            }
        }

        return changes;
    }

    internal static string? Format(object? value) => value switch
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
