using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>Saved column mappings: the rules and reads the import, the API and the page share.</summary>
public static class ImportMappings
{
    public static string NoSuchMapping(string name) => Text.F("没有名为「{0}」的列映射", name);

    public static async Task<Dictionary<string, string>?> FindAsync(CrmDbContext db, string name, CancellationToken ct) =>
        (await db.ImportMappings.AsNoTracking().FirstOrDefaultAsync(m => m.Name == name, ct))?.Columns;

    public static async Task<List<ImportMappingDto>> ListAsync(CrmDbContext db, CancellationToken ct) =>
        (await db.ImportMappings.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct))
            .Select(m => new ImportMappingDto(m.Name, m.Columns, m.UpdatedAt)).ToList();

    public static Task<List<string>> NamesAsync(CrmDbContext db, CancellationToken ct) =>
        db.ImportMappings.AsNoTracking().OrderBy(m => m.Name).Select(m => m.Name).ToListAsync(ct);

    /// <summary>Reads a header → field mapping into <paramref name="into"/>; the error text, or null when it is valid.</summary>
    internal static string? Parse(string json, Dictionary<string, string> into)
    {
        Dictionary<string, string>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException)
        {
            return Text.T("应为 JSON 对象：{\"表头或列字母\": \"字段名或 ignore\"}");
        }

        foreach (var (header, target) in parsed ?? [])
        {
            if (!ImportFields.TryParseTarget(target, out _))
            {
                return Text.F("「{0}」的目标「{1}」无效，应为 ignore 或：{2}", header, target, string.Join(", ", Enum.GetValues<ImportField>().Select(ImportFields.Camel)));
            }

            into[header] = target;
        }

        return null;
    }

    internal static async Task UpsertAsync(CrmDbContext db, string name, Dictionary<string, string> columns, long userId, CancellationToken ct)
    {
        var mapping = await db.ImportMappings.FirstOrDefaultAsync(m => m.Name == name, ct);
        if (mapping is null)
        {
            mapping = new ImportMapping { Name = name };
            db.ImportMappings.Add(mapping);
        }

        mapping.Columns = new Dictionary<string, string>(columns);
        mapping.UpdatedById = userId;
        mapping.UpdatedAt = db.Clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}

/// <summary>Saves (creates or replaces) a named column mapping.</summary>
public static class SaveImportMapping
{
    public sealed record Command(string Name, Dictionary<string, string>? Columns);

    public static async Task<Outcome<ImportMappingDto>> HandleAsync(Command c, long userId, ImportServices s, CancellationToken ct)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ImportMappings.Parse(JsonSerializer.Serialize(c.Columns ?? []), columns) is { } error)
        {
            return Outcome.Invalid("columns", error);
        }

        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > 100)
        {
            return Outcome.Invalid("name", Text.T("名称必填，不超过100字"));
        }

        await ImportMappings.UpsertAsync(s.Db, c.Name.Trim(), columns, userId, ct);
        return Outcome.Ok(new ImportMappingDto(c.Name.Trim(), columns, s.Db.Clock.GetUtcNow().UtcDateTime));
    }
}

/// <summary>Deletes a named column mapping.</summary>
public static class DeleteImportMapping
{
    public static async Task<Outcome<string>> HandleAsync(string name, ImportServices s, CancellationToken ct) =>
        await s.Db.ImportMappings.Where(m => m.Name == name).ExecuteDeleteAsync(ct) > 0
            ? Outcome.Ok(name)
            : Outcome.NotFound(ImportMappings.NoSuchMapping(name));
}
