using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Xuhui.Crm.Web.Shared;

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
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RejectNullForNonNullable);
    }

    /// <summary>
    /// A JSON null for a member declared non-nullable (e.g. "formerNames": null) is refused as a JsonException, which
    /// becomes a 400 naming the field instead of a NullReferenceException later. Unlike RespectNullableAnnotations
    /// this applies to reading only, so a response can never fail to serialise because of it.
    /// </summary>
    private static void RejectNullForNonNullable(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.IsSetNullable || property.Set is not { } set)
            {
                continue;
            }

            var name = property.Name;
            property.Set = (target, value) =>
            {
                if (value is null)
                {
                    throw new JsonException($"{name}: (must not be null)");
                }

                set(target, value);
            };
        }
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
