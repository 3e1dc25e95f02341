using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Data.Pipeline;
using Xuhui.Crm.Domain.Districts;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>Someone changed a firm between staging and applying: nothing was written.</summary>
public sealed class ImportConflictException(string message) : Exception(message);

/// <summary>
/// Applies a staged import. It writes what <see cref="CrmDbContext"/>'s save would (versions, times, district, field-level
/// audit rows, through the save pipeline's own builders: <see cref="Stamps"/>, <see cref="DistrictStamp"/>, <see cref="AuditRows"/>)
/// but not through the change tracker, which would take minutes over 50,000 firms, on SQLite and
/// PostgreSQL alike. Ids for new firms, contacts and cases are reserved first (SQLite: its AUTOINCREMENT counter is
/// moved past a block; PostgreSQL: the identity sequence); new rows go into TEMP tables (on SQLite the temp database:
/// no lock on the main file, so officers keep saving); then one short transaction copies them across set-wise,
/// applies the version-checked updates, puts the new and renamed firms on the search backlog and marks the run. The
/// search grams (~60 rows per firm) are written after that commit in short batches (<see cref="SearchGramBacklog"/>).
/// </summary>
internal sealed partial class ImportApplier : IDisposable
{
    private readonly CrmDbContext _db;
    private readonly DbConnection _connection;
    private readonly bool _sqlite;
    private readonly DateTime _now;
    private readonly long _userId;
    private readonly Dictionary<Type, RowWriter> _writers = [];
    private readonly Dictionary<string, UpdateGroup> _updates = [];
    private readonly Dictionary<Type, Queue<long>> _ids = [];

    /// <summary>Tables whose new rows go through TEMP copies; the first three get reserved ids, the rest take the table's own.</summary>
    private static readonly Type[] Staged =
        [typeof(Firm), typeof(Contact), typeof(Case), typeof(FirmStatusChange), typeof(CaseTransition), typeof(AuditEntry), typeof(FirmSearchBacklog)];

    private static readonly Type[] Reserved = [typeof(Firm), typeof(Contact), typeof(Case)];

    private DbTransaction? _transaction;

    private ImportApplier(CrmDbContext db, DbConnection connection, long userId)
    {
        _db = db;
        _connection = connection;
        _sqlite = db.Database.IsSqlite();
        _userId = userId;
        _now = db.Clock.GetUtcNow().UtcDateTime;
    }

    /// <summary>The page cache of the import's connection while it applies (KiB): the write transaction dirties tens of MB of
    /// index pages, and a cache smaller than that spills them to the WAL in the middle of the transaction.</summary>
    private const int ApplyCacheKib = 32768;

    public static async Task ApplyAsync(CrmDbContext db, StagedImport staged, long userId, Action<ImportApplier>? last, ImportPhases phases, ImportDiagnostics diagnostics, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        using var applier = new ImportApplier(db, db.Database.GetDbConnection(), userId);
        try
        {
            if (applier._sqlite)
            {
                applier.Execute($"PRAGMA cache_size = -{ApplyCacheKib}");
            }

            applier.CreateStagingTables();
            phases.Mark("apply: temp tables");
            applier.ReserveIds(staged);
            phases.Mark("apply: reserve ids");
            // Temp writes only so far: on SQLite a deferred transaction over them takes no lock on the main database.
            applier.Begin(deferred: true);
            applier.Apply(staged, ct);
            phases.Mark("apply: temp rows");
            diagnostics.WriterStats = string.Join(", ", applier._writers.Values.Concat(applier._updates.Values.Select(g => g.Rows))
                .Select(w => $"{w.Table} {w.Written} rows, converting {w.Converting.Elapsed.TotalSeconds:F2} s, statements {w.Executing.Elapsed.TotalSeconds:F2} s"));
            applier.Commit();
            phases.Mark("apply: temp commit");

            var watch = System.Diagnostics.Stopwatch.StartNew();
            applier.Begin(deferred: false);
            phases.Mark("apply: begin write");
            applier.CopyAcross();
            phases.Mark("apply: copy across");
            applier.ApplyUpdates(ct);
            last?.Invoke(applier);
            phases.Mark("apply: updates");
            applier.Commit();
            diagnostics.LockTime = watch.Elapsed;
            phases.Mark("apply: commit");
        }
        finally
        {
            applier.DropStagingTables();
            if (applier._sqlite)
            {
                // Back to the service's own settings before the connection returns to the pool.
                applier.Execute(SqlitePragmas.Pragmas);
            }

            await db.Database.CloseConnectionAsync();
            phases.Mark("apply: drop temp");
        }
    }

    private void Begin(bool deferred) =>
        _transaction = _connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred) : _connection.BeginTransaction();

    private void Commit()
    {
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
    }

    private string Table(Type type) => _db.Model.FindEntityType(type)!.GetTableName()!;

    private int Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs <paramref name="sql"/> inside the import's transaction (e.g. to mark the run committed with the data).</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command.ExecuteNonQuery();
    }

    public void Audit(long firmId, string entityType, long entityId, string action, List<AuditChange> changes) =>
        Insert(AuditRows.Row(firmId, entityType, entityId, action, changes, _userId, _now));

    /// <summary>A new row as the save would leave it: version 1, its times, its district.</summary>
    private void StampNew<T>(T entity)
        where T : class
    {
        Stamps.New(_db.Model.FindEntityType(typeof(T))!, entity, _now);
        if (entity is IDistrictOwned owned)
        {
            DistrictStamp.New(owned, _db.District, _db.HomeDistrict);
        }
    }

    /// <summary>The audit row of a new row, as the save would write it.</summary>
    private void AuditNew<T>(long firmId, T entity, long id)
        where T : class =>
        Audit(firmId, typeof(T).Name, id, AuditRows.Created, AuditRows.OfNew(_db.Model.FindEntityType(typeof(T))!, entity));

    private void Insert<T>(T entity)
        where T : class
    {
        if (!_writers.TryGetValue(typeof(T), out var writer))
        {
            var entityType = _db.Model.FindEntityType(typeof(T))!;
            writer = new RowWriter(entityType, _connection, "imp_" + entityType.GetTableName());
            _writers.Add(typeof(T), writer);
        }

        writer.Transaction = _transaction;
        writer.Add(entity);
    }

    private static object Provider(IProperty property, object? value)
    {
        var convert = property.GetTypeMapping().Converter?.ConvertToProvider;
        if (convert is not null && value is not null)
        {
            value = convert(value);
        }

        return value ?? DBNull.Value;
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }

        foreach (var group in _updates.Values)
        {
            group.Rows.Dispose();
        }

        _transaction?.Dispose();
    }
}
