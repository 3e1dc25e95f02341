using Microsoft.Data.Sqlite;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Bench;

/// <summary>
/// The search yardstick: one hand-written statement per query that returns what the API's first page holds (the
/// total, twenty firms ordered by name with every column, their co-officers), on one open connection with the
/// service's pragmas. Grams answer a one- or two-character query, paged in name order off the gram key (Gram, Name,
/// FirmId); a longer one confirms its lead pair's candidates.
/// </summary>
internal sealed class RawSearch : IAsyncDisposable
{
    private const string Short = """
        WITH page AS (
            SELECT f.* FROM "FirmSearchGrams" g JOIN "Firms" f ON f."Id" = g."FirmId"
            WHERE g."Gram" = $gram AND f."IsArchived" = 0
            ORDER BY g."Name", g."FirmId" LIMIT 20)
        SELECT (SELECT COUNT(*) FROM "FirmSearchGrams" g WHERE g."Gram" = $gram) AS total, p.*,
               (SELECT group_concat(o."UserId") FROM "FirmOfficers" o WHERE o."FirmId" = p."Id") AS co
        FROM (SELECT 1) LEFT JOIN page p ORDER BY p."Name", p."Id"
        """;

    private const string Long = """
        WITH hits AS (
            SELECT f.* FROM "Firms" f
            WHERE f."IsArchived" = 0 AND f."Id" IN (SELECT g."FirmId" FROM "FirmSearchGrams" g WHERE g."Gram" = $gram)
              AND instr(f."SearchText", $q) > 0),
        page AS (SELECT * FROM hits ORDER BY "Name", "Id" LIMIT 20)
        SELECT (SELECT COUNT(*) FROM hits) AS total, p.*,
               (SELECT group_concat(o."UserId") FROM "FirmOfficers" o WHERE o."FirmId" = p."Id") AS co
        FROM (SELECT 1) LEFT JOIN page p ORDER BY p."Name", p."Id"
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _short;
    private readonly SqliteCommand _long;

    private RawSearch(SqliteConnection connection)
    {
        _connection = connection;
        _short = Prepare(Short);
        _long = Prepare(Long);
    }

    public static async Task<RawSearch> OpenAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = SqlitePragmas.Pragmas; // the service's own
            await pragmas.ExecuteNonQueryAsync();
        }

        return new RawSearch(connection);
    }

    public async Task<(int Total, List<long> Ids)> RunAsync(string query)
    {
        var q = SearchText.Normalize(query);
        var command = SearchText.RuneLength(q) > 2 ? _long : _short;
        command.Parameters["$gram"].Value = SearchText.LeadGram(q);
        command.Parameters["$q"].Value = q;
        await using var reader = await command.ExecuteReaderAsync();
        var total = 0;
        var ids = new List<long>(20);
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            total = reader.GetInt32(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            reader.GetValues(values); // every column, as the service materialises them
            ids.Add(reader.GetInt64(1));
        }

        return (total, ids);
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new SqliteParameter("$gram", SqliteType.Text));
        command.Parameters.Add(new SqliteParameter("$q", SqliteType.Text));
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _short.DisposeAsync();
        await _long.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
