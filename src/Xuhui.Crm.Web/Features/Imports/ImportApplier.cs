using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;

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
    private readonly Dictionary<string, DbCommand> _updates = [];
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

    public static async Task ApplyAsync(CrmDbContext db, StagedImport staged, long userId, Action<ImportApplier>? last, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        using var applier = new ImportApplier(db, db.Database.GetDbConnection(), userId);
        try
        {
            applier.CreateStagingTables();
            applier.ReserveIds(staged);
            // Temp writes only so far: on SQLite a deferred transaction over them takes no lock on the main database.
            applier.Begin(deferred: true);
            applier.Apply(staged, ct);
            applier.Commit();

            var watch = System.Diagnostics.Stopwatch.StartNew();
            applier.Begin(deferred: false);
            applier.CopyAcross();
            applier.ApplyUpdates(staged, ct);
            last?.Invoke(applier);
            applier.Commit();
            LastLockTime = watch.Elapsed;
        }
        finally
        {
            applier.DropStagingTables();
            await db.Database.CloseConnectionAsync();
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
        foreach (var type in Staged)
        {
            Execute($"DROP TABLE IF EXISTS \"imp_{Table(type)}\"");
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
            firm.SearchText = SearchText.Build([firm.Name, firm.EnglishName, firm.CreditCode, .. firm.FormerNames]);
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

        foreach (var writer in _writers.Values)
        {
            writer.Flush();
        }
    }

    /// <summary>New rows and audit of updates go to TEMP; the field changes themselves wait for the locked phase.</summary>
    private void StageUpdate(FirmUpdate update)
    {
        var firm = update.Firm;
        if (update.Changes.Count > 0)
        {
            Audit(firm.Id, nameof(Firm), firm.Id, "updated", update.Changes.Select(c => new AuditChange(c.Property, c.Old, c.New)).ToList());
            if (update.Changes.Any(c => c.Property is nameof(Firm.Name) or nameof(Firm.EnglishName)))
            {
                // Its grams are rewritten from the new search text once the update is in.
                Insert(new FirmSearchBacklog { FirmId = firm.Id });
            }
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

    private void ApplyUpdates(StagedImport staged, CancellationToken ct)
    {
        foreach (var update in staged.Updates)
        {
            ct.ThrowIfCancellationRequested();
            ApplyUpdate(update);
        }
    }

    private void ApplyUpdate(FirmUpdate update)
    {
        var firm = update.Firm;
        if (update.Changes.Count > 0)
        {
            foreach (var change in update.Changes)
            {
                typeof(Firm).GetProperty(change.Property)!.SetValue(firm, change.Value);
            }

            var reindex = update.Changes.Any(c => c.Property is nameof(Firm.Name) or nameof(Firm.EnglishName));
            var columns = update.Changes.Select(c => c.Property).ToList();
            if (reindex)
            {
                firm.SearchText = SearchText.Build([firm.Name, firm.EnglishName, firm.CreditCode, .. firm.FormerNames]);
                columns.Add(nameof(Firm.SearchText));
            }

            if (Update(firm, columns) == 0)
            {
                throw new ImportConflictException($"企业 {firm.Id}「{firm.Name}」在导入期间被他人修改，请重新导入 (modified during the import)");
            }
        }

        if (update.ContactChange is { } cc)
        {
            foreach (var change in cc.Changes)
            {
                typeof(Contact).GetProperty(change.Property)!.SetValue(cc.Contact, change.Value);
            }

            if (Update(cc.Contact, cc.Changes.Select(c => c.Property).ToList()) == 0)
            {
                throw new ImportConflictException($"联系人 {cc.Contact.Id} 在导入期间被他人修改，请重新导入 (modified during the import)");
            }
        }
    }

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

    /// <summary>UPDATE of the named columns plus version and time, guarded by the version read at staging.</summary>
    private int Update(object entity, List<string> properties)
    {
        var entityType = _db.Model.FindEntityType(entity.GetType())!;
        var key = entityType.Name + ":" + string.Join(",", properties);
        if (!_updates.TryGetValue(key, out var command))
        {
            var sets = properties.Select((p, i) => $"\"{entityType.FindProperty(p)!.GetColumnName()}\" = @p{i}").ToList();
            sets.Add("\"Version\" = \"Version\" + 1");
            if (entityType.FindProperty("UpdatedAt") is not null)
            {
                sets.Add("\"UpdatedAt\" = @now");
            }

            command = _connection.CreateCommand();
            command.CommandText = $"UPDATE \"{entityType.GetTableName()}\" SET {string.Join(", ", sets)} WHERE \"Id\" = @id AND \"Version\" = @version";
            foreach (var name in properties.Select((_, i) => $"@p{i}").Append("@now").Append("@id").Append("@version"))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = DBNull.Value;
                command.Parameters.Add(parameter);
            }

            _updates[key] = command;
        }

        command.Transaction = _transaction;
        for (var i = 0; i < properties.Count; i++)
        {
            var property = entityType.FindProperty(properties[i])!;
            command.Parameters[i].Value = Provider(property, property.GetGetter().GetClrValue(entity));
        }

        var n = properties.Count;
        command.Parameters[n].Value = Provider(_db.Model.FindEntityType(typeof(Firm))!.FindProperty(nameof(Firm.UpdatedAt))!, _now);
        command.Parameters[n + 1].Value = entityType.FindProperty("Id")!.GetGetter().GetClrValue(entity);
        command.Parameters[n + 2].Value = ((IVersioned)entity).Version;
        return command.ExecuteNonQuery();
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

        foreach (var command in _updates.Values)
        {
            command.Dispose();
        }

        _transaction?.Dispose();
    }
}
