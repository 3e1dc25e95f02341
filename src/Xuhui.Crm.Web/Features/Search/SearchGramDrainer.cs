using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// Writes the grams of the search backlog in the background: on start (firms an interrupted import committed), when an
/// import asks (<see cref="Request"/>, right after its firms commit: the import answers without waiting for ~2 M gram
/// rows), and, on PostgreSQL, on a poll every Crm:Search:BacklogPollSeconds for backlog left by another instance of a
/// city deployment. A SQLite file has one service process, whose own imports ask, so there is nothing to poll for there.
/// A failed pass is logged and retried after the poll interval; the backlog rows stay until their grams are in.
/// The look for a backlog runs on a connection of its own, outside the DbContext pool, so a background poll never
/// takes a pooled context from under a request.
/// </summary>
public sealed class SearchGramDrainer(
    IServiceScopeFactory scopes,
    SearchBacklogState state,
    Shared.DataPaths paths,
    Microsoft.Extensions.Options.IOptions<Shared.CrmOptions> options,
    ILogger<SearchGramDrainer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Firms were put on the backlog and committed: mark search pending and drain now.</summary>
    public void Request()
    {
        state.Mark();
        _wake.Release();
    }

    /// <summary>Completes once no backlog is pending (tests, the import benchmark).</summary>
    public async Task WhenCaughtUpAsync(CancellationToken ct)
    {
        while (state.Pending)
        {
            await Task.Delay(10, ct);
        }
    }

    /// <summary>The backlog is looked for before the service takes requests: after a crash, search starts pending.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await AnyAsync(cancellationToken))
        {
            state.Mark();
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Max(1, options.Value.Search.BacklogPollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!state.Dirty && !paths.IsSqlite && await AnyAsync(stoppingToken))
                {
                    state.Mark();
                }

                if (state.Dirty)
                {
                    var snapshot = state.Snapshot();
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
                    var diagnostics = scope.ServiceProvider.GetRequiredService<SearchDrainDiagnostics>();
                    var counts = scope.ServiceProvider.GetRequiredService<GramCountCache>();
                    var done = await SearchGramBacklog.DrainAsync(db, diagnostics, counts.Changed, stoppingToken);
                    state.Cleared(snapshot);
                    if (done > 0)
                    {
                        logger.LogInformation("Search index: grams written for {Count} firms from the backlog ({Stats})", done, diagnostics.Stats);
                    }

                    if (state.Dirty)
                    {
                        continue;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: what is left stays on the backlog for the next start.
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Search index: draining the backlog failed; retrying in {Seconds} s", poll.TotalSeconds);
            }

            try
            {
                await _wake.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether any firm is on the backlog, read on a plain connection (not a pooled context).</summary>
    private async Task<bool> AnyAsync(CancellationToken ct)
    {
        await using DbConnection connection = paths.IsSqlite
            ? new SqliteConnection(paths.ConnectionString)
            : new NpgsqlConnection(paths.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM \"FirmSearchBacklog\" LIMIT 1";
        return await command.ExecuteScalarAsync(ct) is not null;
    }
}
