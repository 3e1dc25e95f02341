using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Xuhui.Crm.Web.Data.Pipeline;

/// <summary>
/// The one write pipeline: every <see cref="CrmDbContext"/> save runs these steps, in this order. Before the first write:
/// the input rules, versions and times, the district stamp, the features' steps (search text, cache observers), then the
/// field audit (last, so it sees what the others changed). When a step has follow-up work (audit rows, search grams) the
/// save runs in one transaction: the first write, the follow-ups, a second write of their rows, the commit; when any of
/// it fails nothing is written, audit included. On SQLite the save takes its turn at the host's write gate first.
/// </summary>
/// <remarks>
/// Registered in one place: the host's pooled options take <see cref="ForHost"/> (<see cref="DatabaseSetup"/>); any
/// other context (commands, tests, the generator) gets <see cref="Standalone"/> from <see cref="CrmDbContext"/>'s
/// OnConfiguring. The interceptor is shared by every context of its options: what one save needs lives in its
/// <see cref="SaveRun"/> on the context.
/// </remarks>
public sealed class SavePipeline : SaveChangesInterceptor
{
    /// <summary>The features' steps that need nothing from a host: found in the assembly once, run by every context.</summary>
    private static readonly ISaveStep[] FeatureSteps = typeof(SavePipeline).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISaveStep).IsAssignableFrom(t)
            && t.Namespace != typeof(SavePipeline).Namespace && t.GetConstructor(Type.EmptyTypes) is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (ISaveStep)Activator.CreateInstance(t)!)
        .ToArray();

    private readonly ISaveStep[] _steps;

    private SavePipeline(IEnumerable<ISaveStep> hostSteps) =>
        _steps = [new InputRulesStep(), new VersionStampStep(), new DistrictStampStep(), .. FeatureSteps, .. hostSteps, new AuditStep()];

    /// <summary>The pipeline of contexts built outside the host: no write gate, no host caches to drop.</summary>
    public static SavePipeline Standalone { get; } = new([]);

    /// <summary>The host's pipeline, with the steps its features registered (<see cref="ISaveStep"/> services).</summary>
    public static SavePipeline ForHost(IEnumerable<ISaveStep> hostSteps) => new(hostSteps);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not CrmDbContext db || db.CurrentSave is { SecondWrite: true })
        {
            return result;
        }

        // Every end of a save is reported (success, failure, cancellation, concurrency); should one ever be missed, the
        // next save ends the stale run rather than leave its transaction open and its turn taken.
        if (db.CurrentSave is { } stale)
        {
            await stale.EndAsync();
        }

        // Background batch writers (the gram backlog) let a save in between their batches (SQLite has one writer).
        var turn = await WriteGate.EnterAsync(db.Gate, waitForBatch: db.Database.CurrentTransaction is null, cancellationToken);
        var run = new SaveRun(db, turn, db.Clock.GetUtcNow().UtcDateTime);
        db.CurrentSave = run;
        try
        {
            db.ChangeTracker.DetectChanges();
            run.Snapshot();
            foreach (var step in _steps)
            {
                if (step.Before(run) is { } followUp)
                {
                    run.FollowUps.Add(followUp);
                }
            }

            if (run.FollowUps.Count > 0 && db.Database.CurrentTransaction is null)
            {
                run.Transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            }
        }
        catch
        {
            await run.EndAsync();
            throw;
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not CrmDbContext { CurrentSave: { SecondWrite: false } run } db)
        {
            return result;
        }

        try
        {
            if (run.FollowUps.Count > 0)
            {
                foreach (var followUp in run.FollowUps)
                {
                    await followUp(db, cancellationToken);
                }

                run.SecondWrite = true;
                result += await db.SaveChangesAsync(run.AcceptAllChangesOnSuccess, cancellationToken);
                if (run.Transaction is not null)
                {
                    await run.Transaction.CommitAsync(cancellationToken);
                }
            }
        }
        finally
        {
            await run.EndAsync();
        }

        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CrmDbContext { CurrentSave: { SecondWrite: false } run })
        {
            await run.EndAsync();
        }
    }

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CrmDbContext { CurrentSave: { SecondWrite: false } run })
        {
            await run.EndAsync();
        }
    }

    /// <summary>EF reports a concurrency failure to the context's SaveChangesFailed event only, not to interceptors.</summary>
    internal static void OnFailed(object? sender, SaveChangesFailedEventArgs e)
    {
        if (sender is CrmDbContext { CurrentSave: { SecondWrite: false } run })
        {
            run.End();
        }
    }

    /// <summary>Whether the options already hold a pipeline (the host's): the context adds <see cref="Standalone"/> otherwise.</summary>
    internal static bool In(DbContextOptionsBuilder options) =>
        options.Options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.Interceptors?.OfType<SavePipeline>().Any() == true;
}
