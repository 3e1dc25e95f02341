using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

public static class HttpExtensions
{
    /// <summary>Sends <paramref name="json"/> verbatim, for bodies no serializer would produce.</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string json)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await client.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
    }

    /// <summary>Asserts the status (showing the body when it differs) and returns the parsed body, if any.</summary>
    public static async Task<JsonNode?> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (await response.ExpectAsync(HttpStatusCode.OK))!;
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string url, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        return (await response.ExpectAsync(expected))!;
    }

    public static async Task<JsonNode> PutJsonAsync(this HttpClient client, string url, object body, HttpStatusCode expected)
    {
        using var response = await client.PutAsJsonAsync(url, body);
        return (await response.ExpectAsync(expected))!;
    }

    /// <summary>POST /api/firms expecting 201.</summary>
    public static Task<JsonNode> CreateFirmAsync(this HttpClient client, JsonObject? body = null) =>
        client.PostJsonAsync("/api/firms", body ?? TestData.Firm(), HttpStatusCode.Created);

    public static long Id(this JsonNode node) => node["id"]!.GetValue<long>();

    public static int Version(this JsonNode node) => node["version"]!.GetValue<int>();

    public static string? Str(this JsonNode? node, string field) => node?[field]?.GetValue<string>();

    /// <summary>The messages a 400 ValidationProblem gives for <paramref name="field"/> (case-insensitive key match).</summary>
    public static List<string> ErrorsFor(this JsonNode problem, string field)
    {
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null, $"no errors member in {problem.ToJsonString()}");
        var match = errors!.FirstOrDefault(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Key, "$." + field, StringComparison.OrdinalIgnoreCase));
        Assert.True(match.Value is not null, $"no error for '{field}' in {problem.ToJsonString()}");
        return match.Value!.AsArray().Select(m => m!.GetValue<string>()).ToList();
    }

    /// <summary>A fresh copy of a firm body for PUT: the firm as GET returned it.</summary>
    public static JsonObject Editable(this JsonNode node) => node.DeepClone().AsObject();
}
