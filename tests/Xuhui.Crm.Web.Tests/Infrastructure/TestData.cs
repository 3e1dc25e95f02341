using System.Globalization;
using System.Text.Json.Nodes;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>Request bodies as the API's JSON, so tests can break single fields on purpose.</summary>
public static class TestData
{
    public const string Zone = "caohejing";
    public const string OtherZone = "xuhui-riverside";
    public const string Industry = "ai";
    public const string OtherIndustry = "life-health";

    /// <summary>A real, published code (domain.md worked example).</summary>
    public const string RealCode = "91110000600037341L";

    /// <summary>A pilot-era code that is legal but fails the check.</summary>
    public const string PilotCode = "91350100M0001TGQXM";

    private static int _counter;

    /// <summary>A unique, valid credit code registered in Xuhui (310104).</summary>
    public static string NewCreditCode()
    {
        var n = Interlocked.Increment(ref _counter);
        return CreditCode.WithCheckCharacter("91310104MA1" + n.ToString("D6", CultureInfo.InvariantCulture));
    }

    /// <summary>The same code with a wrong check character, and the one it should have been.</summary>
    public static (string Code, char Expected) WithWrongCheckCharacter(string validCode)
    {
        var expected = validCode[^1];
        var wrong = CreditCode.Alphabet[(CreditCode.Alphabet.IndexOf(expected, StringComparison.Ordinal) + 1) % CreditCode.Alphabet.Length];
        return (validCode[..^1] + wrong, expected);
    }

    public static JsonObject Firm(string? name = null, string? creditCode = null) => new()
    {
        ["name"] = name ?? $"上海测试科技有限公司{Interlocked.Increment(ref _counter)}",
        ["creditCode"] = creditCode ?? NewCreditCode(),
        ["zone"] = Zone,
        ["industry"] = Industry,
        ["ownership"] = "domestic-private",
        ["establishedOn"] = "2018-03-01",
        ["headcount"] = 120,
        ["rdHeadcount"] = 30,
        ["tier"] = "regular",
        ["status"] = "active",
        ["formerNames"] = new JsonArray(),
        ["coOfficerIds"] = new JsonArray(),
    };

    public static JsonObject With(this JsonObject body, string field, JsonNode? value)
    {
        body[field] = value;
        return body;
    }

    public static JsonArray Ids(params long[] ids) => new(ids.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
}
