using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Data.Pipeline;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>The rows of a staged import: new rows and audit into TEMP, the version-checked updates applied set-wise.</summary>
internal sealed partial class ImportApplier
{
    private void Apply(StagedImport staged, CancellationToken ct)
    {
        foreach (var create in staged.Creates)
        {
            ct.ThrowIfCancellationRequested();
            var firm = create.Firm;
            StampNew(firm);
            firm.SearchText = firm.SearchableText();
            firm.Id = _ids[typeof(Firm)].Dequeue();
            Insert(firm);
            AuditNew(firm.Id, firm, firm.Id);
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
            Audit(firm.Id, nameof(Firm), firm.Id, AuditRows.Updated, update.Changes.Select(c => new AuditChange(c.Property, c.Old, c.New)).ToList());
            foreach (var change in update.Changes)
            {
                typeof(Firm).GetProperty(change.Property)!.SetValue(firm, change.Value);
            }

            var columns = update.Changes.Select(c => c.Property).ToList();
            if (update.Changes.Any(c => FirmSearchText.Fields.Contains(c.Property)))
            {
                firm.SearchText = firm.SearchableText();
                columns.Add(nameof(Firm.SearchText));
                // Its grams are rewritten from the new search text once the update is in.
                Insert(new FirmSearchBacklog { FirmId = firm.Id });
            }

            StageRowUpdate(firm, columns, "企业 {0} 在导入期间被他人修改，未写入任何数据，请重新导入");
        }

        if (update.ContactChange is { } change2)
        {
            foreach (var change in change2.Changes)
            {
                typeof(Contact).GetProperty(change.Property)!.SetValue(change2.Contact, change.Value);
            }

            StageRowUpdate(change2.Contact, change2.Changes.Select(c => c.Property).ToList(), "联系人 {0} 在导入期间被他人修改，未写入任何数据，请重新导入");
        }

        if (update.NewContact is { } contact)
        {
            AddContact(contact);
        }

        if (update.ContactChange is { } cc)
        {
            Audit(cc.Contact.FirmId, nameof(Contact), cc.Contact.Id, AuditRows.Updated, cc.Changes.Select(c => new AuditChange(c.Property, c.Old, c.New)).ToList());
        }

        if (update.NewCase is { } newCase)
        {
            newCase.FirmId = firm.Id;
            AddCase(newCase);
        }
    }

    /// <param name="conflict">The catalogue key of the message when a row moved meanwhile ({0}: its id).</param>
    private void StageRowUpdate(object entity, List<string> properties, string conflict)
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
            group = new UpdateGroup(entityType, table, properties.Select(p => entityType.FindProperty(p)!.GetColumnName()).ToList(), conflict,
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
            var sets = group.Columns.Select(c => $"\"{c}\" = u.\"{c}\"").Concat(Stamps.UpdateSql(group.EntityType, target!, "@now")).ToList();

            var changed = Execute(
                $"UPDATE \"{target}\" SET {string.Join(", ", sets)} FROM \"{group.Table}\" AS u WHERE \"{target}\".\"Id\" = u.\"Id\" AND \"{target}\".\"Version\" = u.\"Version\"",
                ("@now", Provider(_db.Model.FindEntityType(typeof(Firm))!.FindProperty(nameof(Firm.UpdatedAt))!, _now)));
            if (changed != group.Rows.Written)
            {
                var moved = Scalar($"SELECT u.\"Id\" FROM \"{group.Table}\" AS u JOIN \"{target}\" AS t ON t.\"Id\" = u.\"Id\" WHERE t.\"Version\" <> u.\"Version\" + 1 LIMIT 1");
                throw new ImportConflictException(Text.F(group.Conflict, moved));
            }
        }
    }

    private sealed record UpdateGroup(IEntityType EntityType, string Table, List<string> Columns, string Conflict, RowWriter Rows);

    private void AddContact(Contact contact)
    {
        StampNew(contact);
        contact.Id = _ids[typeof(Contact)].Dequeue();
        Insert(contact);
        AuditNew(contact.FirmId, contact, contact.Id);
    }

    private void AddCase(Case c)
    {
        StampNew(c);
        c.Id = _ids[typeof(Case)].Dequeue();
        Insert(c);
        foreach (var t in c.Transitions)
        {
            t.CaseId = c.Id;
            Insert(t);
        }

        AuditNew(c.FirmId, c, c.Id);
    }
}
