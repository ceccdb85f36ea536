using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Json.Schema;

namespace Photoshop.Emulator.Tests.Infrastructure;

/// <summary>A response that breaks <c>openapi/photoshop.json</c>.</summary>
public sealed class ConformanceException(string message) : Exception(message);

/// <summary>
/// Checks responses against <c>openapi/photoshop.json</c> with a JSON Schema validator: the status must be
/// declared by the operation (<c>5XX</c> covers injected faults), a declared JSON body must validate against
/// its schema, and every response must carry <c>x-request-id</c>.
/// </summary>
public static class OpenApiConformance
{
    private static readonly Uri DocumentUri = new("https://conduit.test/openapi/photoshop.json");
    private static readonly JsonNode Document = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "photoshop.json")))!;
    private static readonly BuildOptions Build = CreateBuildOptions();

    /// <summary>
    /// Throws <see cref="ConformanceException"/> when the response breaks the document. Responses to paths no
    /// operation has (the emulator's 404 for unknown routes) are only checked for <c>x-request-id</c>.
    /// </summary>
    public static void Check(string method, string path, int status, string? requestId, string body)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            throw new ConformanceException($"{method} {path} -> {status} has no x-request-id.");
        }

        if (FindOperation(method, path) is not { } operation)
        {
            return;
        }

        var responses = operation["responses"]!.AsObject();
        var declared = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses[$"{status / 100}XX"]
            ?? throw new ConformanceException($"{method} {path} -> {status}: the operation declares no such response.");
        var response = Resolve(declared);
        if (response["content"]?["application/json"]?["schema"] is not { } schemaNode)
        {
            return;
        }

        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            throw new ConformanceException($"{method} {path} -> {status}: the body is not JSON ({e.Message}): {body}");
        }

        var reference = schemaNode["$ref"]?.GetValue<string>() ?? throw new ConformanceException("Inline response schemas are not supported.");
        var schema = JsonSchema.FromText($$"""{"$ref": "{{DocumentUri}}{{reference}}"}""", Build);
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = result.Details?.Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")) ?? [];
            throw new ConformanceException($"{method} {path} -> {status}: the body breaks {reference}: {string.Join("; ", errors)}\n{body}");
        }
    }

    /// <summary>Throws <see cref="ConformanceException"/> when <paramref name="json"/> breaks the schema at <paramref name="reference"/> (such as <c>#/components/schemas/X</c>).</summary>
    public static void CheckSchema(string reference, string json)
    {
        var schema = JsonSchema.FromText($$"""{"$ref": "{{DocumentUri}}{{reference}}"}""", Build);
        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = result.Details?.Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")) ?? [];
            throw new ConformanceException($"The body breaks {reference}: {string.Join("; ", errors)}\n{json}");
        }
    }

    /// <summary>The operation whose path template matches the path, or <see langword="null"/>.</summary>
    private static JsonObject? FindOperation(string method, string path)
    {
        foreach (var (template, item) in Document["paths"]!.AsObject())
        {
            if (Matches(template, path) && item![method.ToLowerInvariant()] is JsonObject operation)
            {
                return operation;
            }
        }

        return null;
    }

    private static bool Matches(string template, string path)
    {
        var expected = template.Split('/');
        var actual = path.Split('/');
        return expected.Length == actual.Length
            && expected.Zip(actual).All(pair => pair.First.StartsWith('{') ? pair.Second.Length > 0 : pair.First == pair.Second);
    }

    private static JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#', '/').Split('/').Aggregate(Document, (current, segment) => current[segment.Replace("~1", "/").Replace("~0", "~")]!);
        }

        return node;
    }

    private static BuildOptions CreateBuildOptions()
    {
        var registry = new SchemaRegistry();
        registry.Register(new JsonElementBaseDocument(JsonDocument.Parse(Document.ToJsonString()).RootElement, DocumentUri));
        return new BuildOptions { SchemaRegistry = registry };
    }
}

/// <summary>Checks every response a client receives with <see cref="OpenApiConformance"/>.</summary>
public sealed class ConformanceHandler() : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var requestId = response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;
        OpenApiConformance.Check(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, requestId, body);
        return response;
    }
}
