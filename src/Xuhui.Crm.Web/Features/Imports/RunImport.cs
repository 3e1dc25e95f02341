using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>
/// Stages an upload and, unless it is a dry run, commits it: the saved mapping named, overridden by the explicit one,
/// optionally saved under a new name first. A refused commit (error rows, no skipping) is still an ok outcome: its
/// report says so and the API answers it as a 422.
/// </summary>
public static class RunImport
{
    public sealed record Command(
        Stream Content,
        string FileName,
        bool DryRun,
        bool SkipErrors,
        string? MappingName = null,
        string? MappingJson = null,
        string? SaveMappingAs = null,
        ImportPhases? Phases = null);

    public static async Task<Outcome<ImportReport>> HandleAsync(Command c, long userId, ImportServices s, CancellationToken ct)
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        var mappingName = c.MappingName?.Trim() ?? string.Empty;
        if (mappingName.Length > 0)
        {
            var saved = await ImportMappings.FindAsync(s.Db, mappingName, ct);
            if (saved is null)
            {
                return Outcome.Invalid("mappingName", ImportMappings.NoSuchMapping(mappingName));
            }

            foreach (var (k, v) in saved)
            {
                mapping[k] = v;
            }
        }

        if (c.MappingJson is { Length: > 0 } json)
        {
            var explicitMapping = new Dictionary<string, string>(StringComparer.Ordinal);
            if (ImportMappings.Parse(json, explicitMapping) is { } error)
            {
                return Outcome.Invalid("mapping", error);
            }

            foreach (var (k, v) in explicitMapping)
            {
                mapping[k] = v;
            }
        }

        var saveAs = c.SaveMappingAs?.Trim() ?? string.Empty;
        if (saveAs.Length > 0)
        {
            if (saveAs.Length > 100)
            {
                return Outcome.Invalid("saveMappingAs", Text.T("名称不超过100字"));
            }

            await ImportMappings.UpsertAsync(s.Db, saveAs, mapping, userId, ct);
        }

        try
        {
            var request = new ImportRequest(Path.GetFileName(c.FileName), c.DryRun, c.SkipErrors, mapping, c.Phases);
            return Outcome.Ok(await s.Imports.RunAsync(c.Content, request, userId, ct));
        }
        catch (ImportRejectedException e)
        {
            return Outcome.Invalid("file", e.Message);
        }
        catch (ImportConflictException e)
        {
            return Outcome.Conflict(e.Message);
        }
    }

    /// <summary>The one message of a failed outcome, for a page's flash line.</summary>
    public static string Describe<T>(Outcome<T> outcome) =>
        outcome.Message ?? outcome.Errors?.ToDictionary().Values.SelectMany(m => m).FirstOrDefault() ?? string.Empty;
}
