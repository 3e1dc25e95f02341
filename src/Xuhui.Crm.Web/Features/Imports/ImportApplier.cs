using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>Someone changed a firm between staging and applying: nothing was written.</summary>
public sealed class ImportConflictException(string message) : Exception(message);

/// <summary>
/// Applies a staged import. It writes what <see cref="CrmDbContext"/>'s save would (versions, times, field-level
/// audit rows) but not through the change tracker, which would take minutes over 50,000 firms, on SQLite and
/// PostgreSQL alike. Ids for new firms, contacts and cases are reserved first (SQLite: its AUTOINCREMENT counter is
/// moved past a block; PostgreSQL: the identity sequence); new rows go into TEMP tables (on SQLite the temp database:
/// no lock on the main file, so officers keep saving); then one short transaction copies them across set-wise,
/// applies the version-checked updates, puts the new and renamed firms on the search backlog and marks the run. The
/// search grams (~60 rows per firm) are written after that commit in short batches (<see cref="SearchGramBacklog"/>).
/// </summary>
internal sealed class ImportApplier : IDisposable
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

    /// <summary>How long the write transaction of the most recent apply took (for the benchmark note).</summary>
    public static TimeSpan LastLockTime { get; private set; }

    /// <summary>Per staging table of the most recent apply: rows, time converting values, time running statements (benchmark note).</summary>
    public static string LastWriterStats { get; private set; } = string.Empty;

    /// <summary>The page cache of the import's connection while it applies (KiB): the write transaction dirties tens of MB of
    /// index pages, and a cache smaller than that spills them to the WAL in the middle of the transaction.</summary>
    private const int ApplyCacheKib = 32768;

    public static async Task ApplyAsync(CrmDbContext db, StagedImport staged, long userId, Action<ImportApplier>? last, ImportPhases phases, CancellationToken ct)
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
            LastWriterStats = string.Join(", ", applier._writers.Values.Concat(applier._updates.Values.Select(g => g.Rows))
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
            LastLockTime = watch.Elapsed;
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

    private void CreateStagingTables()
    {
        foreach (var type in Staged)
        {
            var table = Table(type);
            Execute($"DROP TABLE IF EXISTS \"imp_{table}\"");
            // A copy of the columns without constraints: rows that take the table's own ids stage a NULL id.
            Execute(_sqlite
                ? $"CREATE TEMP TABLE \"imp_{table}\" AS SELECT * FROM main.\"{table}\" WHERE 0"
                : $"CREATE TEMP TABLE \"imp_{table}\" AS SELECT * FROM \"{table}\" WITH NO DATA");
        }
    }

    private void DropStagingTables()
    {
        _transaction?.Dispose();
        _transaction = null;
        // SQLite: the writers' prepared statements go before the tables they insert into.
        foreach (var writer in _writers.Values.Concat(_updates.Values.Select(g => g.Rows)))
        {
            writer.Dispose();
        }

        foreach (var table in Staged.Select(Table).Select(t => "imp_" + t).Concat(_updates.Values.Select(g => g.Table)))
        {
            Execute($"DROP TABLE IF EXISTS \"{table}\"");
        }
    }

    /// <summary>
    /// Takes ids for the new firms, contacts and cases before anything is written, in a statement or two: the rows can
    /// then be staged with their final ids and copied as they are. Ids of an import that fails stay unused.
    /// </summary>
    private void ReserveIds(StagedImport staged)
    {
        var counts = new Dictionary<Type, int>
        {
            [typeof(Firm)] = staged.Creates.Count,
            [typeof(Contact)] = staged.Creates.Count(c => c.Contact is not null) + staged.Updates.Count(u => u.NewContact is not null),
            [typeof(Case)] = staged.Creates.Count(c => c.Case is not null) + staged.Updates.Count(u => u.NewCase is not null),
        };
        if (_sqlite)
        {
            // AUTOINCREMENT hands out max(sqlite_sequence, largest id) + 1: moving the counter past a block reserves it.
            Begin(deferred: false);
            foreach (var (type, n) in counts)
            {
                var table = Table(type);
                var start = System.Convert.ToInt64(Scalar(
                    $"SELECT MAX(COALESCE((SELECT MAX(\"Id\") FROM \"{table}\"), 0), COALESCE((SELECT \"seq\" FROM sqlite_sequence WHERE \"name\" = '{table}'), 0))"),
                    CultureInfo.InvariantCulture);
                if (n > 0 && Execute($"UPDATE sqlite_sequence SET \"seq\" = {start + n} WHERE \"name\" = '{table}'") == 0)
                {
                    Execute($"INSERT INTO sqlite_sequence (\"name\", \"seq\") VALUES ('{table}', {start + n})");
                }

                _ids[type] = new Queue<long>(Enumerable.Range(1, n).Select(i => start + i));
            }

            Commit();
            return;
        }

        foreach (var (type, n) in counts)
        {
            var ids = new Queue<long>(n);
            if (n > 0)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = $"SELECT nextval(pg_get_serial_sequence('\"{Table(type)}\"', 'Id')) FROM generate_series(1, {n}) ORDER BY 1";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    ids.Enqueue(reader.GetInt64(0));
                }
            }

            _ids[type] = ids;
        }
    }

    /// <summary>Copies the staged rows into the real tables in the order they were staged; the backlog tolerates firms already on it.</summary>
    private void CopyAcross()
    {
        foreach (var type in Staged)
        {
            var entityType = _db.Model.FindEntityType(type)!;
            var table = Table(type);
            var columns = entityType.GetProperties().Where(p => !p.IsShadowProperty())
                .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && !Reserved.Contains(type)))
                .Select(p => $"\"{p.GetColumnName()}\"").ToList();
            var list = string.Join(", ", columns);
            var order = _sqlite ? " ORDER BY rowid" : string.Empty;
            Execute(type == typeof(FirmSearchBacklog)
                ? $"INSERT INTO \"{table}\" ({list}) SELECT DISTINCT {list} FROM \"imp_{table}\" WHERE 1 = 1 ON CONFLICT DO NOTHING"
                : $"INSERT INTO \"{table}\" ({list}) SELECT {list} FROM \"imp_{table}\"{order}");
        }
    }

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

    private void Apply(StagedImport staged, CancellationToken ct)
    {
        foreach (var create in staged.Creates)
        {
            ct.ThrowIfCancellationRequested();
            var firm = create.Firm;
            firm.Version = 1;
            firm.CreatedAt = firm.UpdatedAt = _now;
            firm.SearchText = firm.SearchableText();
            firm.Id = _ids[typeof(Firm)].Dequeue();
            Insert(firm);
            Audit(firm.Id, nameof(Firm), firm.Id, "created", Created(firm));
            foreach (var change in firm.StatusChanges)
            {
                change.FirmId = firm.Id;
                Insert(change);
            }

            Insert(new FirmSearchBacklog { FirmId = firm.Id });
            if (create.Contact is { } contact)
            {
                contact.FirmId = firm.Id;
                AddContact(contact);
            }

            if (create.Case is { } c)
            {
                c.FirmId = firm.Id;
                AddCase(c);
            }
        }

        foreach (var update in staged.Updates)
        {
            ct.ThrowIfCancellationRequested();
            StageUpdate(update);
        }

        foreach (var writer in _writers.Values.Concat(_updates.Values.Select(g => g.Rows)))
        {
            writer.Transaction = _transaction;
            writer.Flush();
        }
    }

    /// <summary>
    /// New rows, audit and the updated rows as they will be (with the version read at staging) go to TEMP; the locked
    /// phase then applies each group of rows that change the same columns with one version-checked UPDATE … FROM.
    /// </summary>
    private void StageUpdate(FirmUpdate update)
    {
        var firm = update.Firm;
        if (update.Changes.Count > 0)
        {
            Audit(firm.Id, nameof(Firm), firm.Id, "updated", update.Changes.Select(c => new AuditChange(c.Property, c.Old, c.New)).ToList());
            foreach (var change in update.Changes)
            {
                typeof(Firm).GetProperty(change.Property)!.SetValue(firm, change.Value);
            }

            var columns = update.Changes.Select(c => c.Property).ToList();
            if (update.Changes.Any(c => c.Property is nameof(Firm.Name) or nameof(Firm.EnglishName)))
            {
                firm.SearchText = firm.SearchableText();
                columns.Add(nameof(Firm.SearchText));
                // Its grams are rewritten from the new search text once the update is in.
                Insert(new FirmSearchBacklog { FirmId = firm.Id });
            }

            StageRowUpdate(firm, columns, "企业");
        }

        if (update.ContactChange is { } change2)
        {
            foreach (var change in change2.Changes)
            {
                typeof(Contact).GetProperty(change.Property)!.SetValue(change2.Contact, change.Value);
            }

            StageRowUpdate(change2.Contact, change2.Changes.Select(c => c.Property).ToList(), "联系人");
        }

        if (update.NewContact is { } contact)
        {
            AddContact(contact);
        }

        if (update.ContactChange is { } cc)
        {
            Audit(cc.Contact.FirmId, nameof(Contact), cc.Contact.Id, "updated", cc.Changes.Select(c => new AuditChange(c.Property, c.Old, c.New)).ToList());
        }

        if (update.NewCase is { } newCase)
        {
            newCase.FirmId = firm.Id;
            AddCase(newCase);
        }
    }

    private void StageRowUpdate(object entity, List<string> properties, string label)
    {
        var entityType = _db.Model.FindEntityType(entity.GetType())!;
        var key = entityType.GetTableName() + ":" + string.Join(",", properties.Order(StringComparer.Ordinal));
        if (!_updates.TryGetValue(key, out var group))
        {
            var table = $"imp_upd{_updates.Count}_{entityType.GetTableName()}";
            Execute($"DROP TABLE IF EXISTS \"{table}\"");
            Execute(_sqlite
                ? $"CREATE TEMP TABLE \"{table}\" AS SELECT * FROM main.\"{entityType.GetTableName()}\" WHERE 0"
                : $"CREATE TEMP TABLE \"{table}\" AS SELECT * FROM \"{entityType.GetTableName()}\" WITH NO DATA");
            group = new UpdateGroup(entityType, table, properties.Select(p => entityType.FindProperty(p)!.GetColumnName()).ToList(), label,
                new RowWriter(entityType, _connection, table));
            _updates.Add(key, group);
        }

        group.Rows.Transaction = _transaction;
        group.Rows.Add(entity);
    }

    /// <summary>One UPDATE … FROM per group of rows that change the same columns; any row whose version moved since staging refuses the whole import.</summary>
    private void ApplyUpdates(CancellationToken ct)
    {
        foreach (var group in _updates.Values)
        {
            ct.ThrowIfCancellationRequested();
            var target = group.EntityType.GetTableName();
            var sets = group.Columns.Select(c => $"\"{c}\" = u.\"{c}\"").Append($"\"Version\" = \"{target}\".\"Version\" + 1").ToList();
            if (group.EntityType.FindProperty("UpdatedAt") is not null)
            {
                sets.Add("\"UpdatedAt\" = @now");
            }

            var changed = Execute(
                $"UPDATE \"{target}\" SET {string.Join(", ", sets)} FROM \"{group.Table}\" AS u WHERE \"{target}\".\"Id\" = u.\"Id\" AND \"{target}\".\"Version\" = u.\"Version\"",
                ("@now", Provider(_db.Model.FindEntityType(typeof(Firm))!.FindProperty(nameof(Firm.UpdatedAt))!, _now)));
            if (changed != group.Rows.Written)
            {
                var moved = Scalar($"SELECT u.\"Id\" FROM \"{group.Table}\" AS u JOIN \"{target}\" AS t ON t.\"Id\" = u.\"Id\" WHERE t.\"Version\" <> u.\"Version\" + 1 LIMIT 1");
                throw new ImportConflictException($"{group.Label} {moved} 在导入期间被他人修改，未写入任何数据，请重新导入 (modified during the import; nothing was written)");
            }
        }
    }

    private sealed record UpdateGroup(IEntityType EntityType, string Table, List<string> Columns, string Label, RowWriter Rows);

    private void AddContact(Contact contact)
    {
        contact.Version = 1;
        contact.Id = _ids[typeof(Contact)].Dequeue();
        Insert(contact);
        Audit(contact.FirmId, nameof(Contact), contact.Id, "created", NonNull(
            (nameof(Contact.Name), contact.Name), (nameof(Contact.Title), contact.Title), (nameof(Contact.Phone), contact.Phone), (nameof(Contact.Email), contact.Email)));
    }

    private void AddCase(Case c)
    {
        c.Version = 1;
        c.CreatedAt = c.UpdatedAt = _now;
        c.Id = _ids[typeof(Case)].Dequeue();
        Insert(c);
        foreach (var t in c.Transitions)
        {
            t.CaseId = c.Id;
            Insert(t);
        }

        Audit(c.FirmId, nameof(Case), c.Id, "created", NonNull(
            (nameof(Case.Program), c.Program), (nameof(Case.Stage), c.Stage), (nameof(Case.OwnerId), CrmDbContext.Format(c.OwnerId)),
            (nameof(Case.CertificateNumber), c.CertificateNumber), (nameof(Case.CertificateIssuedOn), CrmDbContext.Format(c.CertificateIssuedOn)),
            (nameof(Case.CertificateExpiresOn), CrmDbContext.Format(c.CertificateExpiresOn))));
    }

    private static List<AuditChange> Created(Firm f) => NonNull(
        (nameof(Firm.Name), f.Name), (nameof(Firm.CreditCode), f.CreditCode), (nameof(Firm.EnglishName), f.EnglishName), (nameof(Firm.Address), f.Address),
        (nameof(Firm.EstablishedOn), CrmDbContext.Format(f.EstablishedOn)), (nameof(Firm.Zone), f.Zone), (nameof(Firm.Industry), f.Industry),
        (nameof(Firm.Ownership), CrmDbContext.Format(f.Ownership)), (nameof(Firm.Headcount), CrmDbContext.Format(f.Headcount)),
        (nameof(Firm.RdHeadcount), CrmDbContext.Format(f.RdHeadcount)), (nameof(Firm.InventionPatents), CrmDbContext.Format(f.InventionPatents)),
        (nameof(Firm.CoreIpCount), CrmDbContext.Format(f.CoreIpCount)), (nameof(Firm.TechField), f.TechField),
        (nameof(Firm.Tier), CrmDbContext.Format(f.Tier)), (nameof(Firm.Status), CrmDbContext.Format(f.Status)),
        (nameof(Firm.DistrictCode), f.DistrictCode));

    private static List<AuditChange> NonNull(params (string Field, string? Value)[] values) =>
        values.Where(v => v.Value is not null).Select(v => new AuditChange(v.Field, null, v.Value)).ToList();

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
        Insert(new AuditEntry { FirmId = firmId, EntityType = entityType, EntityId = entityId, Action = action, Changes = changes, UserId = _userId, At = _now });

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
