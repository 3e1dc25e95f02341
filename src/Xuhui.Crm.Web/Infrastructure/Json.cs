using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xuhui.Crm.Web.Infrastructure;

public static class Json
{
    /// <summary>Enum values travel as kebab-case strings ("moved-out", "on-site"), like programme and stage codes.</summary>
    public static readonly JsonNamingPolicy EnumNaming = JsonNamingPolicy.KebabCaseLower;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(EnumNaming, allowIntegerValues: false));
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    public static string EnumText<T>(T value)
        where T : struct, Enum => EnumNaming.ConvertName(value.ToString());

    /// <summary>Parses a query-string enum in the same spelling as the JSON.</summary>
    public static bool TryParseEnum<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(EnumText(candidate), text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Allowed<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(EnumText));
}
