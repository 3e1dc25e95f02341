using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Per-connection SQLite settings: an 8 MB page cache and temporary sort tables in memory. They are applied once per
/// physical connection: EF opens a pooled connection for every query, and re-running the pragmas each time cost a
/// statement per query. The cache is per connection, and under 32 concurrent requests the pool holds a connection per
/// busy thread; at 64 MB each the service passed 500 MB at district scale. With the name in the gram key a common
/// character's count reads 3× the pages, and at 16 MB the service reached 457 MB; at 8 MB, 335 MB.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY;";

    private static readonly object Done = new();
    private readonly ConditionalWeakTable<object, object> _configured = [];
    private int _applied;

    /// <summary>How many times the pragmas were run (tests).</summary>
    internal int Applied => Volatile.Read(ref _applied);

    /// <summary>
    /// Tests: a page limit put on every connection as it opens, which makes the live database answer SQLITE_FULL
    /// exactly as a full disk does (set it above the file's size again for space to "return").
    /// </summary>
    internal long? MaxPageCount { get; set; }

    private string? Limit => MaxPageCount is { } pages ? $"PRAGMA max_page_count = {pages.ToString(System.Globalization.CultureInfo.InvariantCulture)};" : null;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Limit is { } limit)
        {
            using var set = connection.CreateCommand();
            set.CommandText = limit;
            set.ExecuteNonQuery();
        }

        if (!FirstOpen(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Limit is { } limit)
        {
            await using var set = connection.CreateCommand();
            set.CommandText = limit;
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!FirstOpen(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The native handle outlives the <see cref="SqliteConnection"/> in the pool; it is what carries the settings.</summary>
    private bool FirstOpen(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && !_configured.TryAdd(handle, Done))
        {
            return false;
        }

        Interlocked.Increment(ref _applied);
        return true;
    }
}

/// <summary>
/// Lowers a pooled connection's synchronous level for a run of small commits and puts it back: the physical connection
/// outlives the caller in the pool, and whoever leases it next must get the service's durability, not the caller's.
/// </summary>
public static class SqliteSynchronous
{
    /// <summary>Sets synchronous=NORMAL and returns the level to restore.</summary>
    public static async Task<long> LowerAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        var level = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        command.CommandText = "PRAGMA synchronous = NORMAL";
        await command.ExecuteNonQueryAsync(ct);
        return level;
    }

    /// <summary>Not cancellable: a cancelled round must still hand the connection back as it found it.</summary>
    public static async Task RestoreAsync(DbConnection connection, long level)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous = {level.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
