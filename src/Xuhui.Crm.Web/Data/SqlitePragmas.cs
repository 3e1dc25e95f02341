using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Per-connection SQLite settings: a 64 MB page cache (the 2 MB default cannot keep a district's firms warm, and
/// search then reads rows from disk at random) and temporary sort tables in memory.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
