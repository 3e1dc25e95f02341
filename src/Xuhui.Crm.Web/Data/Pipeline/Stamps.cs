using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Data.Pipeline;

/// <summary>
/// Versions and times, as every write leaves them: a new row has version 1 and its CreatedAt/UpdatedAt (where the
/// entity has them, as non-null DateTime) at the save's time; an updated row has its version one up and UpdatedAt
/// moved. The save applies them to its entries; the importer's set-based writes call the same functions.
/// </summary>
public static class Stamps
{
    public const string CreatedAt = nameof(CreatedAt);
    public const string UpdatedAt = nameof(UpdatedAt);

    /// <summary>Stamps an entry the save inserts or updates.</summary>
    public static void Apply(EntityEntry entry, DateTime now)
    {
        if (entry.State == EntityState.Added)
        {
            SetIfPresent(entry, CreatedAt, now);
        }

        SetIfPresent(entry, UpdatedAt, now);
        if (entry.Entity is IVersioned versioned)
        {
            versioned.Version = entry.State == EntityState.Added
                ? 1
                : (int)entry.Property(nameof(IVersioned.Version)).OriginalValue! + 1;
        }
    }

    /// <summary>Stamps a new row written without the change tracker.</summary>
    public static void New(IEntityType type, object entity, DateTime now)
    {
        Time(type, CreatedAt)?.PropertyInfo?.SetValue(entity, now);
        Time(type, UpdatedAt)?.PropertyInfo?.SetValue(entity, now);
        if (entity is IVersioned versioned)
        {
            versioned.Version = 1;
        }
    }

    /// <summary>
    /// The SET clauses that stamp rows of <paramref name="type"/> updated set-wise in table <paramref name="table"/>:
    /// the version one up and UpdatedAt to the value of parameter <paramref name="nowParameter"/>.
    /// </summary>
    public static IEnumerable<string> UpdateSql(IEntityType type, string table, string nowParameter)
    {
        if (typeof(IVersioned).IsAssignableFrom(type.ClrType))
        {
            var version = type.FindProperty(nameof(IVersioned.Version))!.GetColumnName();
            yield return $"\"{version}\" = \"{table}\".\"{version}\" + 1";
        }

        if (Time(type, UpdatedAt) is { } updated)
        {
            yield return $"\"{updated.GetColumnName()}\" = {nowParameter}";
        }
    }

    /// <summary>The stamped time property <paramref name="name"/> of <paramref name="type"/>, if it has one.</summary>
    public static IProperty? Time(IEntityType type, string name) =>
        type.FindProperty(name) is { } property && property.ClrType == typeof(DateTime) ? property : null;

    private static void SetIfPresent(EntityEntry entry, string name, DateTime now)
    {
        if (Time(entry.Metadata, name) is not null)
        {
            entry.Property(name).CurrentValue = now;
        }
    }
}

/// <summary>Versions and times of the save's entries.</summary>
internal sealed class VersionStampStep : ISaveStep
{
    public SaveFollowUp? Before(SaveRun save)
    {
        foreach (var entry in save.Written)
        {
            Stamps.Apply(entry, save.Now);
        }

        return null;
    }
}
