using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>The TEMP staging tables, the reserved ids and the copy of the staged rows into the real tables.</summary>
internal sealed partial class ImportApplier
{
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
}
