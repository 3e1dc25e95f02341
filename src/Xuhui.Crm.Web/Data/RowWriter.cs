using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Writes entities of one type with multi-row INSERTs, bypassing the change tracker, on SQLite and PostgreSQL alike.
/// Values go through the model's own converters (enums as names, money as fen, UTC instants, JSON lists), so rows read
/// back as if EF had written them. A key of 0 is written as NULL (the table assigns it). The target may be the
/// entity's table or a staging copy with the same columns.
/// </summary>
internal sealed class RowWriter : IDisposable
{
    // Enough rows per statement to amortise its overhead, few enough parameters for either provider's limit.
    private const int MaxParameters = 1000;
    private const int MaxRows = 200;

    // Microsoft.Data.Sqlite binds every parameter by name, and SQLite finds a name by walking the statement's list
    // of names: binding a statement of n parameters costs n²/2 comparisons. At 1,000 parameters that was most of an
    // import's commit (21 s of writing 300,000 staged rows, 35 s of 2.2 million gram rows); at ~100 the walk is short
    // and the per-statement overhead is still spread over dozens of rows.
    private const int SqliteMaxParameters = 96;

    private readonly DbConnection _connection;
    private readonly string _table;
    private readonly bool _prepare;
    private readonly (IProperty Property, IClrPropertyGetter Getter, Func<object?, object?>? Convert, bool Key)[] _columns;
    private readonly int _rowsPerStatement;
    private readonly List<object?[]> _buffer = [];
    private DbCommand? _full;

    public RowWriter(IEntityType entityType, DbConnection connection, string? table = null)
    {
        _connection = connection;
        _table = table ?? entityType.GetTableName()!;
        // PostgreSQL statements stay unprepared, as in the seeding writer: a NULL of the first row would fix a type.
        _prepare = connection is Microsoft.Data.Sqlite.SqliteConnection;
        _columns = entityType.GetProperties().Where(p => !p.IsShadowProperty())
            .Select(p => (p, p.GetGetter(), p.GetTypeMapping().Converter?.ConvertToProvider, p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))
            .ToArray();
        ColumnNames = _columns.Select(c => c.Property.GetColumnName()).ToList();
        _rowsPerStatement = Math.Clamp((_prepare ? SqliteMaxParameters : MaxParameters) / _columns.Length, 1, MaxRows);
    }

    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The transaction the next statements run in (SQLite insists that commands name it).</summary>
    public DbTransaction? Transaction { get; set; }

    public long Written { get; private set; }

    /// <summary>Time spent reading and converting values, and running the statements (benchmark note).</summary>
    public System.Diagnostics.Stopwatch Converting { get; } = new();

    public System.Diagnostics.Stopwatch Executing { get; } = new();

    public string Table => _table;

    public void Add(object entity)
    {
        Converting.Start();
        var row = new object?[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var (_, getter, convert, key) = _columns[i];
            var value = getter.GetClrValue(entity);
            if (key && value is 0L or 0)
            {
                value = null;
            }
            else if (convert is not null && value is not null)
            {
                value = convert(value);
            }

            row[i] = value ?? DBNull.Value;
        }

        _buffer.Add(row);
        Converting.Stop();
        if (_buffer.Count == _rowsPerStatement)
        {
            _full ??= Command(_rowsPerStatement, _prepare);
            Execute(_full, _buffer);
            _buffer.Clear();
        }
    }

    /// <summary>Writes what is buffered (a statement sized to the remainder).</summary>
    public void Flush()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        using var command = Command(_buffer.Count, prepare: false);
        Execute(command, _buffer);
        _buffer.Clear();
    }

    private void Execute(DbCommand command, List<object?[]> rows)
    {
        Executing.Start();
        command.Transaction = Transaction;
        var parameters = command.Parameters;
        var n = 0;
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                parameters[n++].Value = value;
            }
        }

        command.ExecuteNonQuery();
        Written += rows.Count;
        Executing.Stop();
    }

    private DbCommand Command(int rows, bool prepare)
    {
        var command = _connection.CreateCommand();
        command.Transaction = Transaction;
        var values = new System.Text.StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            values.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{(r * _columns.Length) + c}";
                parameter.Value = DBNull.Value;
                command.Parameters.Add(parameter);
                values.Append(c == 0 ? string.Empty : ", ").Append(parameter.ParameterName);
            }

            values.Append(')');
        }

        command.CommandText = $"INSERT INTO \"{_table}\" ({string.Join(", ", ColumnNames.Select(c => $"\"{c}\""))}) VALUES {values}";
        if (prepare)
        {
            command.Prepare();
        }

        return command;
    }

    public void Dispose() => _full?.Dispose();
}
