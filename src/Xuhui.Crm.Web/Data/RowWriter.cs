using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Writes entities of one type with multi-row INSERTs, bypassing the change tracker, on SQLite and PostgreSQL alike.
/// Values go through the model's own converters (enums as names, money as fen, UTC instants, JSON lists), so rows read
/// back as if EF had written them. A key of 0 is written as NULL (the table assigns it). The target may be the
/// entity's table or a staging copy with the same columns. On SQLite, when every column's stored type is a plain one,
/// rows go through one prepared single-row INSERT whose values are bound by position, exactly as Microsoft.Data.Sqlite
/// would bind them (<see cref="Bind"/>): no parameter names to look up, no command object per statement. The one bulk
/// row writer of the service: the importer, the seeding, the privacy log and the search backlog's SQLite grams.
/// </summary>
internal sealed class RowWriter : IDisposable
{
    // Enough rows per statement to amortise its overhead, few enough parameters for either provider's limit.
    private const int MaxParameters = 1000;
    private const int MaxRows = 200;

    // SQLite, for column types the positional path does not bind: Microsoft.Data.Sqlite binds every parameter by name,
    // and SQLite finds a name by walking the statement's list of names: a statement of n parameters costs n²/2
    // comparisons, most of an import's commit at 1,000 parameters; at ~100 the walk is short and the per-statement
    // overhead is still spread over dozens of rows.
    private const int SqliteMaxParameters = 96;

    private readonly DbConnection _connection;
    private readonly string _table;
    private readonly bool _prepare;
    private readonly (IProperty Property, IClrPropertyGetter Getter, Func<object?, object?>? Convert, bool Key)[] _columns;
    private readonly int _rowsPerStatement;
    private readonly List<object?[]> _buffer = [];
    private DbCommand? _full;
    private readonly bool _positional;
    private sqlite3_stmt? _statement;

    private static readonly HashSet<Type> Positional =
    [
        typeof(string), typeof(long), typeof(int), typeof(short), typeof(byte), typeof(bool), typeof(double), typeof(float),
        typeof(DateTime), typeof(DateOnly), typeof(decimal), typeof(byte[]),
    ];

    /// <param name="tableAssignsKey">Leave a generated key out of the INSERT altogether (PostgreSQL's identity columns refuse an explicit NULL).</param>
    /// <param name="rowsPerStatement">Rows gathered into one multi-row INSERT (default: as many as the parameter limit
    /// allows); 1 writes each row as it is added, for tables whose rows others reference while the load runs.</param>
    public RowWriter(IEntityType entityType, DbConnection connection, string? table = null, bool tableAssignsKey = false, int? rowsPerStatement = null)
    {
        _connection = connection;
        _table = table ?? entityType.GetTableName()!;
        // PostgreSQL statements stay unprepared, as in the seeding writer: a NULL of the first row would fix a type.
        _prepare = connection is Microsoft.Data.Sqlite.SqliteConnection;
        _columns = entityType.GetProperties().Where(p => !p.IsShadowProperty() && !(tableAssignsKey && p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))
            .Select(p => (p, p.GetGetter(), p.GetTypeMapping().Converter?.ConvertToProvider, p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))
            .ToArray();
        ColumnNames = _columns.Select(c => c.Property.GetColumnName()).ToList();
        _rowsPerStatement = rowsPerStatement ?? Math.Clamp((_prepare ? SqliteMaxParameters : MaxParameters) / _columns.Length, 1, MaxRows);
        _positional = _prepare && _columns.All(c =>
        {
            var type = c.Property.GetTypeMapping().Converter?.ProviderClrType ?? c.Property.ClrType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsEnum || Positional.Contains(type);
        });
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

        Converting.Stop();
        if (_positional)
        {
            Step(row);
            return;
        }

        _buffer.Add(row);
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

    private void Step(object?[] row)
    {
        Executing.Start();
        var db = ((SqliteConnection)_connection).Handle!;
        if (_statement is null)
        {
            var sql = $"INSERT INTO \"{_table}\" ({string.Join(", ", ColumnNames.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", _columns.Select((_, i) => $"?{i + 1}"))})";
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
            _statement = statement;
        }

        for (var i = 0; i < row.Length; i++)
        {
            SqliteException.ThrowExceptionForRC(Bind(_statement, i + 1, row[i]), db);
        }

        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        Written++;
        Executing.Stop();
    }

    /// <summary>
    /// Binds a value as Microsoft.Data.Sqlite binds a parameter of that value with no type set: integers, booleans and
    /// enums as integers, instants as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, dates as <c>yyyy-MM-dd</c>, decimals as text.
    /// </summary>
    internal static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(statement, index),
        string text => raw.sqlite3_bind_text(statement, index, text),
        long n => raw.sqlite3_bind_int64(statement, index, n),
        int n => raw.sqlite3_bind_int64(statement, index, n),
        short n => raw.sqlite3_bind_int64(statement, index, n),
        byte n => raw.sqlite3_bind_int64(statement, index, n),
        bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(statement, index, d),
        float f => raw.sqlite3_bind_double(statement, index, f),
        DateTime t => raw.sqlite3_bind_text(statement, index, t.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        DateOnly d => raw.sqlite3_bind_text(statement, index, d.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture)),
        decimal m => raw.sqlite3_bind_text(statement, index, m.ToString("0.0###########################", CultureInfo.InvariantCulture)),
        byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
        Enum e => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(e, CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"RowWriter cannot bind a {value.GetType().Name} by position"),
    };

    public void Dispose()
    {
        _full?.Dispose();
        _full = null;
        _statement?.Dispose();
        _statement = null;
    }
}
