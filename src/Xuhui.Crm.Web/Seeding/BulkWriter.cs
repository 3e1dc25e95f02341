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
/// Writes synthetic data with raw ADO.NET: one transaction, one prepared INSERT per table, values converted by the
/// EF model's own value converters (enums as names, money as fen, UTC instants, JSON lists), so the rows read
/// back exactly as if EF had written them. In bulk mode (a fresh SQLite file for the generator) durability is relaxed
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
    private readonly Dictionary<Type, Inserter> _inserters = [];
    private readonly Dictionary<string, long> _rows = [];
    private const int GramBatch = 100;
    private readonly List<FirmSearchGram> _gramBuffer = [];
    private DbCommand? _gramBatch;

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
                foreach (var sql in indexes)
                {
                    Execute(connection, writer._transaction, sql);
                }

                if (!writer._sqlite)
                {
                    writer.MoveIdentitiesPastWrittenIds();
                }

                writer._transaction.Commit();
                return new SyntheticSummary(writer._rows, watch.Elapsed);
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
            InsertGrams(bundle.Grams);
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

        FlushGrams();
    }

    private void Insert<T>(T entity)
        where T : class
    {
        if (!_inserters.TryGetValue(typeof(T), out var inserter))
        {
            inserter = new Inserter(_db.Model.FindEntityType(typeof(T))!, _connection, _transaction, prepare: _sqlite);
            _inserters.Add(typeof(T), inserter);
            _rows[inserter.Table] = 0;
        }

        inserter.Insert(entity);
        _rows[inserter.Table]++;
    }

    /// <summary>Grams are most of the rows (~70 per firm): they go in batches of multi-row INSERTs to save per-statement overhead.</summary>
    private void InsertGrams(List<FirmSearchGram> grams)
    {
        _gramBuffer.AddRange(grams);
        while (_gramBuffer.Count >= GramBatch)
        {
            _gramBatch ??= CreateGramBatch();
            for (var i = 0; i < GramBatch; i++)
            {
                _gramBatch.Parameters[3 * i].Value = _gramBuffer[i].Gram;
                _gramBatch.Parameters[(3 * i) + 1].Value = _gramBuffer[i].Name;
                _gramBatch.Parameters[(3 * i) + 2].Value = _gramBuffer[i].FirmId;
            }

            _gramBatch.ExecuteNonQuery();
            _gramBuffer.RemoveRange(0, GramBatch);
            _rows["FirmSearchGrams"] = _rows.GetValueOrDefault("FirmSearchGrams") + GramBatch;
        }
    }

    private void FlushGrams()
    {
        _gramBuffer.ForEach(Insert);
        _gramBuffer.Clear();
    }

    private DbCommand CreateGramBatch()
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = _transaction;
        cmd.CommandText = "INSERT INTO \"FirmSearchGrams\" (\"Gram\", \"Name\", \"FirmId\") VALUES " +
            string.Join(", ", Enumerable.Range(0, GramBatch).Select(i => $"(@g{i}, @n{i}, @f{i})"));
        for (var i = 0; i < GramBatch; i++)
        {
            AddParameter(cmd, $"@g{i}");
            AddParameter(cmd, $"@n{i}");
            AddParameter(cmd, $"@f{i}");
        }

        if (_sqlite)
        {
            cmd.Prepare();
        }

        return cmd;
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>PostgreSQL identity columns do not look at explicitly inserted ids: move each sequence past the largest.</summary>
    private void MoveIdentitiesPastWrittenIds()
    {
        foreach (var type in _inserters.Keys.Select(t => _db.Model.FindEntityType(t)!))
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
        foreach (var inserter in _inserters.Values)
        {
            inserter.Dispose();
        }

        _gramBatch?.Dispose();
        _transaction.Dispose();
    }

    /// <summary>A prepared INSERT for one entity type, with each column's getter and EF value converter.</summary>
    private sealed class Inserter : IDisposable
    {
        private readonly DbCommand _command;
        private readonly (DbParameter Parameter, IClrPropertyGetter Getter, Func<object?, object?>? Convert)[] _columns;

        public Inserter(IEntityType entityType, DbConnection connection, DbTransaction transaction, bool prepare)
        {
            Table = entityType.GetTableName()!;
            var properties = entityType.GetProperties().Where(p => !p.IsShadowProperty()).ToList();
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText =
                $"INSERT INTO \"{Table}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""))}) " +
                $"VALUES ({string.Join(", ", properties.Select((_, i) => $"@p{i}"))})";
            _columns = properties.Select((p, i) =>
            {
                var parameter = AddParameter(_command, $"@p{i}");
                return (parameter, p.GetGetter(), p.GetTypeMapping().Converter?.ConvertToProvider);
            }).ToArray();
            if (prepare)
            {
                _command.Prepare();
            }
        }

        public string Table { get; }

        public void Insert(object entity)
        {
            foreach (var (parameter, getter, convert) in _columns)
            {
                var value = getter.GetClrValue(entity);
                if (convert is not null && value is not null)
                {
                    value = convert(value);
                }

                parameter.Value = value ?? DBNull.Value;
            }

            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }
}
