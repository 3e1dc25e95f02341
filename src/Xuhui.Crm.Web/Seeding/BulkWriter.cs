using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>Rows written per table.</summary>
public sealed record SyntheticSummary(IReadOnlyDictionary<string, long> Rows, TimeSpan Elapsed);

/// <summary>
/// Writes synthetic data with raw ADO.NET through the one bulk row writer (<see cref="RowWriter"/>): one transaction,
/// values converted by the EF model's own value converters (enums as names, money as fen, UTC instants, JSON lists),
/// so the rows read back exactly as if EF had written them. In bulk mode (a fresh SQLite file for the generator) durability is relaxed
/// and secondary indexes are rebuilt after the load; the change tracker is never involved. On PostgreSQL (the demo
/// data of a fresh database) the same INSERTs run unprepared, and the identity sequences are moved past the ids
/// written, so the next row EF adds does not collide.
/// </summary>
public sealed class BulkWriter : IDisposable
{
    private readonly CrmDbContext _db;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly bool _sqlite;
    private readonly Dictionary<Type, RowWriter> _writers = [];

    private BulkWriter(CrmDbContext db, DbConnection connection)
    {
        _db = db;
        _connection = connection;
        _sqlite = db.Database.IsSqlite();
        _transaction = connection.BeginTransaction();
    }

    /// <summary>Generates and writes a data set into a migrated database (the change tracker is bypassed, so no audit rows).</summary>
    public static async Task<SyntheticSummary> WriteAsync(
        CrmDbContext db, SyntheticOptions options, SyntheticWords words, bool bulk, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (bulk && !db.Database.IsSqlite())
            {
                throw new InvalidOperationException("bulk mode (the generator) writes SQLite files only");
            }

            if (bulk)
            {
                Execute(connection, null, "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144; PRAGMA foreign_keys=OFF;");
            }

            var ids = ReadIds(connection);
            using (var writer = new BulkWriter(db, connection))
            {
                var indexes = bulk ? writer.DropSecondaryIndexes() : [];
                var data = new SyntheticData(options, words, ids);
                writer.Write(data, ct);
                var rows = writer._writers.Values.ToDictionary(w => w.Table, w => w.Written);
                foreach (var sql in indexes)
                {
                    Execute(connection, writer._transaction, sql);
                }

                if (!writer._sqlite)
                {
                    writer.MoveIdentitiesPastWrittenIds();
                }

                writer._transaction.Commit();
                return new SyntheticSummary(rows, watch.Elapsed);
            }
        }
        finally
        {
            if (bulk)
            {
                Execute(db.Database.GetDbConnection(), null, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    private void Write(SyntheticData data, CancellationToken ct)
    {
        foreach (var user in data.Users)
        {
            Insert(user);
        }

        foreach (var bundle in data.Firms())
        {
            ct.ThrowIfCancellationRequested();
            var firm = bundle.Firm;
            Insert(firm);
            firm.CoOfficers.ForEach(Insert);
            firm.Financials.ForEach(Insert);
            firm.StatusChanges.ForEach(Insert);
            bundle.Grams.ForEach(Insert);
            bundle.Contacts.ForEach(Insert);
            foreach (var c in bundle.Cases)
            {
                Insert(c);
                c.Transitions.ForEach(Insert);
                c.AnnualReports.ForEach(Insert);
            }

            foreach (var visit in bundle.Visits)
            {
                Insert(visit);
                visit.Officers.ForEach(Insert);
                visit.Contacts.ForEach(Insert);
            }

            bundle.Tasks.ForEach(Insert);
        }

        foreach (var writer in _writers.Values)
        {
            writer.Flush();
        }
    }

    private void Insert<T>(T entity)
        where T : class
    {
        if (!_writers.TryGetValue(typeof(T), out var writer))
        {
            // A row goes in at once, so its dependents find it (PostgreSQL checks foreign keys per statement); only
            // the grams, most of the rows (~70 per firm) and no table's parent, are gathered into multi-row INSERTs.
            writer = new RowWriter(_db.Model.FindEntityType(typeof(T))!, _connection, rowsPerStatement: typeof(T) == typeof(FirmSearchGram) ? null : 1)
            {
                Transaction = _transaction,
            };
            _writers.Add(typeof(T), writer);
        }

        writer.Add(entity);
    }

    /// <summary>PostgreSQL identity columns do not look at explicitly inserted ids: move each sequence past the largest.</summary>
    private void MoveIdentitiesPastWrittenIds()
    {
        foreach (var type in _writers.Keys.Select(t => _db.Model.FindEntityType(t)!))
        {
            var key = type.FindPrimaryKey()!.Properties;
            if (key is [{ ValueGenerated: ValueGenerated.OnAdd } id])
            {
                var table = type.GetTableName()!;
                var column = id.GetColumnName();
                Execute(_connection, _transaction,
                    $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), GREATEST((SELECT MAX(\"{column}\") FROM \"{table}\"), 1))");
            }
        }
    }

    /// <summary>Drops the non-key indexes (maintaining them row by row is the slow part) and returns their DDL to rebuild them.</summary>
    private List<string> DropSecondaryIndexes()
    {
        var indexes = new List<(string Name, string Sql)>();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.Transaction = _transaction;
            cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(_connection, _transaction, $"DROP INDEX \"{name}\"");
        }

        return indexes.Select(i => i.Sql).ToList();
    }

    private static SyntheticIds ReadIds(DbConnection connection)
    {
        long Max(string table)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT COALESCE(MAX(\"Id\"), 0) FROM \"{table}\"";
            return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new SyntheticIds
        {
            User = Max("Users"),
            Firm = Max("Firms"),
            FirmFinancial = Max("FirmFinancials"),
            FirmStatusChange = Max("FirmStatusChanges"),
            Contact = Max("Contacts"),
            Case = Max("Cases"),
            CaseTransition = Max("CaseTransitions"),
            AnnualReportFiling = Max("AnnualReportFilings"),
            Visit = Max("Visits"),
            Task = Max("Tasks"),
        };
    }

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }

        _transaction.Dispose();
    }
}
