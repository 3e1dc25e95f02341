using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// What the backlog drain does differently per provider: how a batch takes its turn against the officers' saves, how it
/// reads and locks its firms, and how its gram rows go in. The drain loop itself (<see cref="SearchGramBacklog"/>) is
/// the same for both.
/// </summary>
internal abstract class GramWriter : IAsyncDisposable
{
    public static async Task<GramWriter> OpenAsync(DbConnection connection, Microsoft.EntityFrameworkCore.Metadata.IEntityType grams, Data.WriteGate? gate, CancellationToken ct) => connection switch
    {
        SqliteConnection sqlite => await SqliteGramWriter.OpenAsync(sqlite, grams, gate, ct),
        NpgsqlConnection postgres => new PostgresGramWriter(postgres),
        _ => throw new NotSupportedException($"no gram writer for {connection.GetType().Name}"),
    };

    /// <summary>Appended to the firms' read: locks them, where the provider locks rows.</summary>
    public virtual string LockFirms => string.Empty;

    /// <summary>Waits for the batch's turn and holds it until disposed (after the commit).</summary>
    public virtual ValueTask<IDisposable?> TurnAsync(DrainStatistics stats, CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>Runs first in the batch's transaction.</summary>
    public virtual Task BeginAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Writes the batch's rows in its transaction, in key order.</summary>
    public abstract Task WriteAsync(DbTransaction tx, GramBatch grams, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    internal static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
