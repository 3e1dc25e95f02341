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
/// audit rows, search grams) but not through the change tracker, which would take minutes over 50,000 firms.
/// New rows are first written, with negative placeholder ids, into TEMP tables (SQLite's temp database: no lock on
/// the main file, so officers keep saving); then one IMMEDIATE transaction copies them across set-wise with real
/// ids, applies the version-checked updates and marks the run. Only that copy holds the write lock.
/// </summary>
internal sealed class ImportApplier : IDisposable
{
    private const int GramBatch = 100;

    private readonly CrmDbContext _db;
    private readonly SqliteConnection _connection;
    private readonly DateTime _now;
    private readonly long _userId;
    private readonly Dictionary<Type, Inserter> _inserters = [];
    private readonly Dictionary<string, SqliteCommand> _updates = [];
    private readonly List<FirmSearchGram> _grams = [];
    private SqliteCommand? _gramBatch;
    private SqliteCommand? _gramSingle;
    private SqliteCommand? _gramDelete;

    /// <summary>Tables whose new rows go through TEMP copies; the first three have ids others refer to.</summary>
    private static readonly Type[] Staged =
        [typeof(Firm), typeof(Contact), typeof(Case), typeof(FirmStatusChange), typeof(CaseTransition), typeof(AuditEntry), typeof(FirmSearchGram)];

    private SqliteTransaction _transaction;
    private int _firmRel;
    private int _contactRel;
    private int _caseRel;

    private ImportApplier(CrmDbContext db, SqliteConnection connection, long userId)
    {
        _db = db;
        _connection = connection;
        _userId = userId;
        _now = db.Clock.GetUtcNow().UtcDateTime;
        _transaction = connection.BeginTransaction(deferred: true);
    }

    /// <summary>How long the write lock was held by the most recent apply (for the benchmark note).</summary>
    public static TimeSpan LastLockTime { get; private set; }

    public static async Task ApplyAsync(CrmDbContext db, StagedImport staged, long userId, Action<ImportApplier>? last, CancellationToken ct)
    {
        // The applier is written against SQLite (temp tables, prepared commands); a PostgreSQL port is still to come.
        if (!db.Database.IsSqlite())
        {
            throw new NotSupportedException("applying an import is implemented for SQLite only so far; PostgreSQL support is pending");
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            using var applier = new ImportApplier(db, (SqliteConnection)db.Database.GetDbConnection(), userId);
            applier.CreateTempTables();
            applier.Apply(staged, ct);
            // Temp writes only so far: committing them takes no lock on the main database.
            applier._transaction.Commit();
            applier._transaction.Dispose();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            applier._transaction = applier._connection.BeginTransaction(deferred: false);
            applier.DeleteRenamedGrams(staged);
            applier.CopyAcross();
            applier.ApplyUpdates(staged, ct);
            last?.Invoke(applier);
            applier._transaction.Commit();
            LastLockTime = watch.Elapsed;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private void CreateTempTables()
    {
        foreach (var type in Staged)
        {
            var table = _db.Model.FindEntityType(type)!.GetTableName();
            Execute($"DROP TABLE IF EXISTS temp.\"imp_{table}\"");
            Execute($"CREATE TEMP TABLE \"imp_{table}\" AS SELECT * FROM main.\"{table}\" WHERE 0");
        }
    }

    /// <summary>
    /// Copies the TEMP rows into the real tables, turning placeholder ids (−n) into base + n. Grams go in gram order:
    /// their primary key is (Gram, Name, FirmId), and sorted inserts touch each index page once instead of at random.
    /// </summary>
    private void CopyAcross()
    {
        var bases = new Dictionary<Type, long>();
        foreach (var type in new[] { typeof(Firm), typeof(Contact), typeof(Case) })
        {
            var table = _db.Model.FindEntityType(type)!.GetTableName();
            using var max = _connection.CreateCommand();
            max.Transaction = _transaction;
            max.CommandText = $"SELECT MAX(COALESCE((SELECT MAX(\"Id\") FROM \"{table}\"), 0), COALESCE((SELECT \"seq\" FROM sqlite_sequence WHERE \"name\" = '{table}'), 0))";
            bases[type] = System.Convert.ToInt64(max.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        string Map(string column, Type target) => $"CASE WHEN \"{column}\" < 0 THEN {bases[target]} - \"{column}\" ELSE \"{column}\" END";
        foreach (var type in Staged)
        {
            var entityType = _db.Model.FindEntityType(type)!;
            var table = entityType.GetTableName();
            var columns = entityType.GetProperties().Where(p => !p.IsShadowProperty())
                .Where(p => !(p.IsPrimaryKey() && p.Name == "Id" && !bases.ContainsKey(type))).Select(p => p.GetColumnName()).ToList();
            var select = columns.Select(c => (type.Name, c) switch
            {
                (_, "Id") => Map(c, type),
                (_, "FirmId") => Map(c, typeof(Firm)),
                (nameof(CaseTransition), "CaseId") => Map(c, typeof(Case)),
                (nameof(AuditEntry), "EntityId") =>
                    $"CASE \"EntityType\" WHEN 'Firm' THEN {Map(c, typeof(Firm))} WHEN 'Contact' THEN {Map(c, typeof(Contact))} WHEN 'Case' THEN {Map(c, typeof(Case))} ELSE \"{c}\" END",
                _ => $"\"{c}\"",
            });
            Execute($"INSERT INTO main.\"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT {string.Join(", ", select)} FROM temp.\"imp_{table}\" ORDER BY {(type == typeof(FirmSearchGram) ? "\"Gram\", \"Name\", rowid" : "rowid")}");
            Execute($"DROP TABLE temp.\"imp_{table}\"");
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
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
            firm.Id = -++_firmRel;
            Insert(firm);
            Audit(firm.Id, nameof(Firm), firm.Id, "created", Created(firm));
            foreach (var change in firm.StatusChanges)
            {
                change.FirmId = firm.Id;
                Insert(change);
            }

            QueueGrams(firm);
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
            StageUpdate(update);
        }

        FlushGrams();
    }

    /// <summary>New rows and audit of updates go to TEMP; the field changes themselves wait for the locked phase.</summary>
    private void StageUpdate(FirmUpdate update)
    {
        var firm = update.Firm;
        if (update.Changes.Count > 0)
        {
            Audit(firm.Id, nameof(Firm), firm.Id, "updated", update.Changes.Select(c => new AuditChange(c.Property, c.Old, c.New)).ToList());
            if (update.Changes.Any(c => c.Property is nameof(Firm.Name) or nameof(Firm.EnglishName)) && !firm.IsArchived)
            {
                var copy = new Firm { Id = firm.Id, Name = firm.Name, EnglishName = firm.EnglishName, CreditCode = firm.CreditCode, FormerNames = firm.FormerNames };
                foreach (var change in update.Changes.Where(c => c.Property is nameof(Firm.Name) or nameof(Firm.EnglishName)))
                {
                    typeof(Firm).GetProperty(change.Property)!.SetValue(copy, change.Value);
                }

                copy.SearchText = SearchText.Build([copy.Name, copy.EnglishName, copy.CreditCode, .. copy.FormerNames]);
                QueueGrams(copy);
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

    /// <summary>A renamed firm's old grams go before the new ones are copied in.</summary>
    private void DeleteRenamedGrams(StagedImport staged)
    {
        foreach (var update in staged.Updates.Where(u => u.Changes.Any(c => c.Property is nameof(Firm.Name) or nameof(Firm.EnglishName))))
        {
            _gramDelete ??= Command("DELETE FROM main.\"FirmSearchGrams\" WHERE \"FirmId\" = @id", "@id");
            _gramDelete.Parameters[0].Value = update.Firm.Id;
            _gramDelete.ExecuteNonQuery();
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

            if (Update(nameof(Firm), firm, columns) == 0)
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

            if (Update(nameof(Contact), cc.Contact, cc.Changes.Select(c => c.Property).ToList()) == 0)
            {
                throw new ImportConflictException($"联系人 {cc.Contact.Id} 在导入期间被他人修改，请重新导入 (modified during the import)");
            }
        }
    }

    private void AddContact(Contact contact)
    {
        contact.Version = 1;
        contact.Id = -++_contactRel;
        Insert(contact);
        Audit(contact.FirmId, nameof(Contact), contact.Id, "created", NonNull(
            (nameof(Contact.Name), contact.Name), (nameof(Contact.Title), contact.Title), (nameof(Contact.Phone), contact.Phone), (nameof(Contact.Email), contact.Email)));
    }

    private void AddCase(Case c)
    {
        c.Version = 1;
        c.CreatedAt = c.UpdatedAt = _now;
        c.Id = -++_caseRel;
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
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }

    public void Audit(long firmId, string entityType, long entityId, string action, List<AuditChange> changes) =>
        Insert(new AuditEntry { FirmId = firmId, EntityType = entityType, EntityId = entityId, Action = action, Changes = changes, UserId = _userId, At = _now });

    private void QueueGrams(Firm firm)
    {
        _grams.AddRange(FirmSearchGram.For(firm));

        while (_grams.Count >= GramBatch)
        {
            _gramBatch ??= Command(
                "INSERT INTO temp.\"imp_FirmSearchGrams\" (\"Gram\", \"Name\", \"FirmId\") VALUES " + string.Join(", ", Enumerable.Range(0, GramBatch).Select(i => $"(@g{i}, @n{i}, @f{i})")),
                Enumerable.Range(0, GramBatch).SelectMany(i => new[] { $"@g{i}", $"@n{i}", $"@f{i}" }).ToArray());
            for (var i = 0; i < GramBatch; i++)
            {
                _gramBatch.Parameters[3 * i].Value = _grams[i].Gram;
                _gramBatch.Parameters[(3 * i) + 1].Value = _grams[i].Name;
                _gramBatch.Parameters[(3 * i) + 2].Value = _grams[i].FirmId;
            }

            _gramBatch.ExecuteNonQuery();
            _grams.RemoveRange(0, GramBatch);
        }
    }

    private void FlushGrams()
    {
        _gramSingle ??= Command("INSERT INTO temp.\"imp_FirmSearchGrams\" (\"Gram\", \"Name\", \"FirmId\") VALUES (@g, @n, @f)", "@g", "@n", "@f");
        foreach (var gram in _grams)
        {
            _gramSingle.Parameters[0].Value = gram.Gram;
            _gramSingle.Parameters[1].Value = gram.Name;
            _gramSingle.Parameters[2].Value = gram.FirmId;
            _gramSingle.ExecuteNonQuery();
        }

        _grams.Clear();
    }

    private void Insert<T>(T entity)
        where T : class
    {
        if (!_inserters.TryGetValue(typeof(T), out var inserter))
        {
            inserter = new Inserter(_db.Model.FindEntityType(typeof(T))!, this);
            _inserters.Add(typeof(T), inserter);
        }

        inserter.Insert(entity);
    }

    /// <summary>UPDATE of the named columns plus version and time, guarded by the version read at staging.</summary>
    private int Update(string table, object entity, List<string> properties)
    {
        var entityType = _db.Model.FindEntityType(entity.GetType())!;
        var key = table + ":" + string.Join(",", properties);
        if (!_updates.TryGetValue(key, out var command))
        {
            var sets = properties.Select((p, i) => $"\"{entityType.FindProperty(p)!.GetColumnName()}\" = @p{i}").ToList();
            sets.Add("\"Version\" = \"Version\" + 1");
            if (entityType.FindProperty("UpdatedAt") is not null)
            {
                sets.Add("\"UpdatedAt\" = @now");
            }

            command = Command(
                $"UPDATE \"{entityType.GetTableName()}\" SET {string.Join(", ", sets)} WHERE \"Id\" = @id AND \"Version\" = @version",
                [.. properties.Select((_, i) => $"@p{i}"), "@now", "@id", "@version"]);
            _updates[key] = command;
        }

        for (var i = 0; i < properties.Count; i++)
        {
            var property = entityType.FindProperty(properties[i])!;
            command.Parameters[i].Value = Provider(property, property.GetGetter().GetClrValue(entity));
        }

        command.Parameters["@now"].Value = ToProvider(_now);
        command.Parameters["@id"].Value = entityType.FindProperty("Id")!.GetGetter().GetClrValue(entity);
        command.Parameters["@version"].Value = ((IVersioned)entity).Version;
        return command.ExecuteNonQuery();
    }

    private object ToProvider(DateTime utc)
    {
        var property = _db.Model.FindEntityType(typeof(Firm))!.FindProperty(nameof(Firm.UpdatedAt))!;
        return Provider(property, utc);
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

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new SqliteParameter(p, DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        foreach (var inserter in _inserters.Values)
        {
            inserter.Dispose();
        }

        foreach (var command in _updates.Values)
        {
            command.Dispose();
        }

        _gramBatch?.Dispose();
        _gramSingle?.Dispose();
        _gramDelete?.Dispose();
        _transaction.Dispose();
    }

    /// <summary>A prepared INSERT into the TEMP copy of one entity type's table, values converted by the model's own converters.</summary>
    private sealed class Inserter : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly (SqliteParameter Parameter, IProperty Property)[] _columns;

        public Inserter(IEntityType entityType, ImportApplier applier)
        {
            var properties = entityType.GetProperties().Where(p => !p.IsShadowProperty()).ToList();
            var table = entityType.GetTableName()!;
            _command = applier.Command(
                $"INSERT INTO temp.\"imp_{table}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""))}) " +
                $"VALUES ({string.Join(", ", properties.Select((_, i) => $"@p{i}"))})",
                properties.Select((_, i) => $"@p{i}").ToArray());
            _columns = properties.Select((p, i) => (_command.Parameters[i], p)).ToArray();
        }

        public void Insert(object entity)
        {
            foreach (var (parameter, property) in _columns)
            {
                var value = property.GetGetter().GetClrValue(entity);
                // An id of 0 means "assign one" (status changes, transitions, audit rows).
                parameter.Value = property.IsPrimaryKey() && value is 0L ? DBNull.Value : Provider(property, value);
            }

            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }
}
