using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Conduit.Corpus.Tests;

/// <summary>
/// What a document says, read without the generator (System.Text.Json or YamlDotNet): its OpenAPI version and
/// its operations as (METHOD, path) pairs, the yardstick the generated client is measured against.
/// </summary>
public sealed record DocumentFacts(string OpenApiVersion, string Format, long Bytes, IReadOnlyList<(string Method, string Path)> Operations, int Webhooks)
{
    private static readonly string[] Methods3 = { "get", "put", "post", "delete", "options", "head", "patch", "trace" };
    private static readonly string[] Methods2 = { "get", "put", "post", "delete", "options", "head", "patch" };

    public static DocumentFacts Read(string path)
    {
        var text = File.ReadAllText(path);
        var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        var root = yaml ? FromYaml(text) : FromJson(text);
        if (root is not Dictionary<string, object?> document)
        {
            throw new InvalidDataException(path + " is not an object.");
        }

        var swagger = document.GetValueOrDefault("swagger") as string;
        var version = swagger ?? document.GetValueOrDefault("openapi") as string ?? "?";
        var methods = swagger is null ? Methods3 : Methods2;
        var prefix = RoutePrefix(document, swagger is not null);
        var operations = new List<(string, string)>();
        if (document.GetValueOrDefault("paths") is Dictionary<string, object?> paths)
        {
            foreach (var (route, value) in paths)
            {
                if (route.StartsWith("x-", StringComparison.Ordinal) || Resolve(document, value) is not Dictionary<string, object?> item)
                {
                    continue;
                }

                operations.AddRange(methods.Where(item.ContainsKey).Select(m => (m.ToUpperInvariant(), prefix + route)));
            }
        }

        var webhooks = document.GetValueOrDefault("webhooks") is Dictionary<string, object?> hooks ? hooks.Count : 0;
        return new DocumentFacts(version, yaml ? "YAML" : "JSON", new FileInfo(path).Length, operations, webhooks);
    }

    /// <summary>
    /// A server given as a path ("/api/v3"), or a Swagger 2.0 basePath without a host, is part of every request's
    /// path: the generated route includes it.
    /// </summary>
    private static string RoutePrefix(Dictionary<string, object?> document, bool swagger2)
    {
        if (swagger2)
        {
            return document.ContainsKey("host") ? string.Empty : (document.GetValueOrDefault("basePath") as string ?? string.Empty).TrimEnd('/');
        }

        if (document.GetValueOrDefault("servers") is not List<object?> { Count: > 0 } servers || servers[0] is not Dictionary<string, object?> server || server.GetValueOrDefault("url") is not string url)
        {
            return string.Empty;
        }

        if (server.GetValueOrDefault("variables") is Dictionary<string, object?> variables)
        {
            foreach (var (name, value) in variables)
            {
                url = url.Replace("{" + name + "}", (value as Dictionary<string, object?>)?.GetValueOrDefault("default") as string ?? string.Empty, StringComparison.Ordinal);
            }
        }

        return url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? url.TrimEnd('/') : string.Empty;
    }

    /// <summary>A path item may be a <c>$ref</c> to another place in the same document.</summary>
    private static object? Resolve(Dictionary<string, object?> document, object? value)
    {
        for (var depth = 0; depth < 8 && value is Dictionary<string, object?> map && map.GetValueOrDefault("$ref") is string reference; depth++)
        {
            if (!reference.StartsWith("#/", StringComparison.Ordinal))
            {
                throw new InvalidDataException("path item refers outside the document: " + reference);
            }

            object? target = document;
            foreach (var token in reference[2..].Split('/'))
            {
                target = (target as Dictionary<string, object?>)?.GetValueOrDefault(token.Replace("~1", "/").Replace("~0", "~"));
            }

            value = target;
        }

        return value;
    }

    private static object? FromJson(string text)
    {
        using var json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 1000 });
        return Convert(json.RootElement);

        static object? Convert(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (d, p) => { d[p.Name] = Convert(p.Value); return d; }),
            JsonValueKind.Array => e.EnumerateArray().Select(Convert).ToList(),
            JsonValueKind.String => e.GetString(),
            _ => e.GetRawText(),
        };
    }

    private static object? FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return Convert(stream.Documents[0].RootNode);

        static object? Convert(YamlNode node) => node switch
        {
            YamlMappingNode map => map.Children.Aggregate(new Dictionary<string, object?>(), (d, p) => { d[((YamlScalarNode)p.Key).Value!] = Convert(p.Value); return d; }),
            YamlSequenceNode list => list.Children.Select(Convert).ToList(),
            YamlScalarNode scalar => scalar.Value,
            _ => null,
        };
    }
}
