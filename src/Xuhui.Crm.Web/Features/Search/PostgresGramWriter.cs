using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// PostgreSQL: a batch locks its firms (so a concurrent save of one of them cannot interleave its own gram rewrite),
/// reads by key only, and writes its rows with binary COPY in its transaction.
/// </summary>
internal sealed class PostgresGramWriter(NpgsqlConnection connection) : GramWriter
{
    public override string LockFirms => " ORDER BY \"Id\" FOR UPDATE";

    // Every statement of the batch is a lookup by key. The grams table grows by millions of rows during an import,
    // faster than autoanalyze follows; without statistics the planner takes an IN list of hundreds of ids for most of
    // the table and scans all of it to delete nothing.
    public override Task BeginAsync(DbTransaction tx, CancellationToken ct) =>
        ExecuteAsync(connection, tx, "SET LOCAL enable_seqscan = off", ct);

    // Binary COPY: multi-row INSERTs of 1,000 parameters were two thirds of the drain here.
    public override async Task WriteAsync(DbTransaction tx, GramBatch grams, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY \"FirmSearchGrams\" (\"Gram\", \"Name\", \"FirmId\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (gram, name, firmId) in grams.Rows())
        {
            // The rows are buffered; the writes block only when a buffer goes out (the batch runs on its own anyway).
            copy.StartRow();
            copy.Write(gram, NpgsqlDbType.Varchar);
            copy.Write(name, NpgsqlDbType.Varchar);
            copy.Write(firmId, NpgsqlDbType.Bigint);
        }

        await copy.CompleteAsync(ct);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
