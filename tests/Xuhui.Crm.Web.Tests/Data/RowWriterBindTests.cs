using Microsoft.Data.Sqlite;
using SQLitePCL;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Tests.Data;

/// <summary>RowWriter's positional binding stores every value exactly as Microsoft.Data.Sqlite's named parameters do.</summary>
public sealed class RowWriterBindTests
{
    public static TheoryData<object?> Values() =>
    [
        null,
        "上海徐汇 'quoted'",
        string.Empty,
        42L,
        -7,
        (short)3,
        (byte)2,
        true,
        false,
        1.5d,
        2.25f,
        new DateTime(2026, 6, 15, 2, 0, 0, DateTimeKind.Utc),
        new DateTime(2026, 6, 15, 2, 3, 4, DateTimeKind.Utc).AddTicks(1234567),
        new DateTime(2026, 1, 2, 3, 4, 5, 600, DateTimeKind.Unspecified),
        new DateOnly(2019, 12, 31),
        12.345m,
        100m,
        -0.5m,
        new byte[] { 1, 2, 255 },
        DayOfWeek.Friday,
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void A_positionally_bound_value_is_stored_as_a_named_parameter_would_be(object? value)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof($v) || ':' || quote($v)";
        command.Parameters.AddWithValue("$v", value ?? DBNull.Value);
        var expected = (string)command.ExecuteScalar()!;

        var db = connection.Handle!;
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v2(db, "SELECT typeof(?1) || ':' || quote(?1)", out var statement));
        using (statement)
        {
            Assert.Equal(raw.SQLITE_OK, RowWriter.Bind(statement, 1, value));
            Assert.Equal(raw.SQLITE_ROW, raw.sqlite3_step(statement));
            Assert.Equal(expected, raw.sqlite3_column_text(statement, 0).utf8_to_string());
        }
    }
}
