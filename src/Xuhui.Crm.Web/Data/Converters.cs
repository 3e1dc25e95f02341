using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Xuhui.Crm.Domain.Auditing;

namespace Xuhui.Crm.Web.Data;

/// <summary>Instants are stored and read back as UTC.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public sealed class MoneyConverter() : ValueConverter<decimal, long>(
    v => (long)decimal.Round(v * 100m, MidpointRounding.AwayFromZero),
    v => v / 100m);

public sealed class AuditChangesConverter() : ValueConverter<List<AuditChange>, string>(
    v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
    v => JsonSerializer.Deserialize<List<AuditChange>>(v, JsonSerializerOptions.Web) ?? new List<AuditChange>());

public sealed class AuditChangesComparer() : ValueComparer<List<AuditChange>>(
    (a, b) => a!.SequenceEqual(b!),
    v => v.Aggregate(0, (h, c) => HashCode.Combine(h, c.GetHashCode())),
    v => v.ToList());
