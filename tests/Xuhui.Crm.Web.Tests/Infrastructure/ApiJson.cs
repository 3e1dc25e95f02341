using System.Text.Json;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>The API's own JSON settings, for tests that read and write its DTOs as typed records.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Json.Configure(o);
        return o;
    }
}
