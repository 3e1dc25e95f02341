using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

public sealed record ImportRequest(string FileName, bool DryRun, bool SkipErrors, IReadOnlyDictionary<string, string> Mapping, ImportPhases? Phases = null);

/// <summary>
/// A test seam: when registered, runs after a commit's rows are staged and before they are applied (e.g. an officer
/// saving one of the firms in between). Not registered in the service.
/// </summary>
public sealed class ImportStagedHook
{
    public Func<CancellationToken, Task>? Run { get; set; }
}

/// <summary>
/// One import: spool the upload, parse and stage it (reads only, progress written to the history row), then, for a
/// commit, apply everything in one transaction together with the history row's final counts.
/// </summary>
public sealed class ImportService(
    CrmDbContext db,
    ReferenceData reference,
    TimeProvider clock,
    ILogger<ImportService> logger,
    SearchBacklogState backlog,
    SearchGramDrainer drainer,
    ImportDiagnostics diagnostics,
    ImportStagedHook? stagedHook = null)
{
    private const int ProgressEvery = 5000;

    public async Task<ImportReport> RunAsync(Stream content, ImportRequest request, long userId, CancellationToken ct)
    {
        var phases = request.Phases ?? new ImportPhases();
        diagnostics.Phases = phases;
        var run = new ImportRun
        {
            UserId = userId,
            FileName = request.FileName.Length > 260 ? request.FileName[..260] : request.FileName,
            DryRun = request.DryRun,
            SkipErrors = request.SkipErrors,
            Status = ImportStatus.Running,
            StartedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ImportRuns.Add(run);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        phases.Mark("history row");

        StagedImport? staged = null;
        try
        {
            using var file = await SpreadsheetFile.SpoolAsync(content, request.FileName, ct);
            phases.Mark("spool");
            await SetAsync(run.Id, r => r.SetProperty(x => x.Format, file.Format).SetProperty(x => x.Encoding, file.EncodingName), ct);
            run.Format = file.Format;
            run.Encoding = file.EncodingName;
            var stager = new ImportStager(db, reference, clock, userId, backlog, diagnostics);
            var lastReported = 0;
            staged = await stager.StageAsync(file, request.Mapping, async rows =>
            {
                if (rows - lastReported >= ProgressEvery)
                {
                    lastReported = rows;
                    await SetAsync(run.Id, r => r.SetProperty(x => x.RowsRead, rows), ct);
                }
            }, ct);
            db.ChangeTracker.Clear();
            phases.Mark("staging");

            var refused = !request.DryRun && staged.ErrorRows > 0 && !request.SkipErrors;
            var status = request.DryRun ? ImportStatus.Previewed : refused ? ImportStatus.Refused : ImportStatus.Committed;
            var message = refused
                ? Text.F("有 {0} 行错误，未写入任何数据；请修正后重新导入，或选择跳过错误行", staged.ErrorRows)
                : null;
            Fill(run, staged, status, message);
            if (status == ImportStatus.Committed)
            {
                if (stagedHook?.Run is { } hook)
                {
                    await hook(ct);
                }

                // Search reads the firms' text, not the grams, from before the firms commit until their grams are in.
                using (backlog.Hold())
                {
                    await ImportApplier.ApplyAsync(db, staged, userId, applier => applier.Execute(
                        "UPDATE \"ImportRuns\" SET \"Status\" = @s, \"RowsRead\" = @r, \"Created\" = @c, \"Updated\" = @u, \"Unchanged\" = @n, \"ErrorRows\" = @e, \"Duplicates\" = @d, \"CompletedAt\" = @at WHERE \"Id\" = @id",
                        ("@s", nameof(ImportStatus.Committed)), ("@r", run.RowsRead), ("@c", run.Created), ("@u", run.Updated), ("@n", run.Unchanged),
                        ("@e", run.ErrorRows), ("@d", run.Duplicates), ("@at", run.CompletedAt), ("@id", run.Id)), phases, diagnostics, ct);
                    // The firms are in and searchable (through their text) now; their grams are written in the background,
                    // in short batches, while the import answers. A crash before that leaves them on the backlog for the
                    // next start.
                    drainer.Request();
                }
            }
            else
            {
                await SaveRunAsync(run, ct);
                phases.Mark("history row");
            }

            await SaveIssuesAsync(run.Id, staged, ct);
            phases.Mark("issues");
            var report = Report(run, staged);
            phases.Mark("report");
            return report;
        }
        catch (Exception ex) when (ex is ImportRejectedException or ImportConflictException or OperationCanceledException or DbUpdateException or System.Data.Common.DbException)
        {
            run.Status = ImportStatus.Failed;
            run.Message = ex is ImportRejectedException or ImportConflictException ? ex.Message : Text.T("导入失败，未写入任何数据");
            run.CompletedAt = clock.GetUtcNow().UtcDateTime;
            if (staged is not null)
            {
                run.RowsRead = staged.Rows;
            }

            db.ChangeTracker.Clear();
            await SaveRunAsync(run, CancellationToken.None);
            if (ex is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                // A unique index caught a firm registered by someone else while the import was staged.
                throw new ImportConflictException(Text.T("导入期间有人登记了相同统一社会信用代码的企业，未写入任何数据，请重新导入"));
            }

            if (ex is not (ImportRejectedException or ImportConflictException))
            {
                logger.LogWarning(ex, "Import {Id} failed", run.Id);
            }

            throw;
        }
    }

    private void Fill(ImportRun run, StagedImport staged, ImportStatus status, string? message)
    {
        var applied = status == ImportStatus.Committed;
        run.Status = status;
        run.Message = message;
        run.RowsRead = staged.Rows;
        run.Created = applied || status == ImportStatus.Previewed ? staged.Creates.Count : 0;
        run.Updated = applied || status == ImportStatus.Previewed ? staged.Updates.Count : 0;
        run.Unchanged = staged.Unchanged;
        run.ErrorRows = staged.ErrorRows;
        run.Duplicates = staged.Duplicates;
        run.CompletedAt = clock.GetUtcNow().UtcDateTime;
    }

    private async Task SaveRunAsync(ImportRun run, CancellationToken ct)
    {
        db.ImportRuns.Update(run);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private Task SetAsync(long id, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ImportRun>> set, CancellationToken ct) =>
        db.ImportRuns.Where(r => r.Id == id).ExecuteUpdateAsync(set, ct);

    private async Task SaveIssuesAsync(long runId, StagedImport staged, CancellationToken ct)
    {
        foreach (var issue in staged.Issues)
        {
            issue.ImportRunId = runId;
        }

        // Many small batches keep each write short; the report is complete once the last batch lands.
        foreach (var batch in staged.Issues.Chunk(2000))
        {
            db.ImportIssues.AddRange(batch);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private static ImportReport Report(ImportRun run, StagedImport staged) => new(
        run.Id,
        run.DryRun,
        ImportRunDto.Json(run.Status),
        run.FileName,
        run.Format,
        run.Encoding,
        staged.HeaderRow,
        staged.Columns,
        staged.Counts,
        staged.Results.OrderBy(r => r.Outcome == Outcomes.Error ? 0 : r.Outcome == Outcomes.PossibleDuplicate ? 1 : 2).ThenBy(r => r.Row).Take(ImportReport.RowLimit).ToList(),
        staged.Rows > staged.Results.Count,
        run.Message);
}
