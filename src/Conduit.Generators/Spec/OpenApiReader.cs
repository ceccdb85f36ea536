using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>
/// Reads one OpenAPI document (2.0, 3.0 or 3.1; with the documents it references) into a
/// <see cref="ClientModel"/>. Problems go to a <see cref="DiagnosticBag"/> at the document's own line
/// and column; whatever can still be generated is.
/// </summary>
internal sealed partial class OpenApiReader
{
    private static readonly string[] ReservedMethodNames = { "HttpClient", "Connection", "Operations", "Policies", "Errors", "Jobs", "Equals", "GetHashCode", "ToString", "GetType" };
    private static readonly string[] Methods = { "get", "put", "post", "delete", "options", "head", "patch", "trace" };

    private readonly DocumentSet _documents;
    private readonly DiagnosticBag _diagnostics;
    private readonly ParsedDocument _root;
    private readonly CancellationToken _token;
    private readonly NameScope _methodNames = new(ReservedMethodNames);
    private readonly List<OperationModel> _operations = new();
    private readonly List<(int Operation, Located Extension, bool JsonAccepted)> _jobs = new();
    private readonly List<PolicyModel> _policies = new();
    private readonly Dictionary<string, string> _pascalNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _camelNames = new(StringComparer.Ordinal);
    private bool _isSwagger2;
    private bool _isOpenApi31;
    private string _basePath = string.Empty;

    private OpenApiReader(DocumentSet documents, DiagnosticBag diagnostics, ParsedDocument root, CancellationToken token)
    {
        _documents = documents;
        _diagnostics = diagnostics;
        _root = root;
        _token = token;
    }

    /// <summary>Reads <paramref name="document"/>; returns null when it is not an OpenAPI document at all.</summary>
    public static ClientModel? Read(ClientTarget target, ParsedDocument document, DocumentSet documents, DiagnosticBag diagnostics, CancellationToken token)
        => new OpenApiReader(documents, diagnostics, document, token).Read(target);

    private ClientModel? Read(ClientTarget target)
    {
        var root = _root.Result.Root!;
        var here = new Located(root, _root);
        if (!CheckVersion(here))
        {
            return null;
        }

        // Models may share the client's namespace (ModelsNamespace): never take the client's own names.
        _typeNames.Claim(target.ClassName);
        _typeNames.Claim("I" + target.ClassName);
        _typeNames.Claim(target.ClassName + "ServiceCollectionExtensions");

        var defaultServer = _isSwagger2 ? Swagger2Server(root) : ServerUrl(root["servers"], _root, out _basePath);
        if (root["paths"] is { Kind: NodeKind.Object } paths)
        {
            foreach (var path in paths.Properties)
            {
                ReadPathItem(path);
            }
        }
        else if (root["paths"] is { } wrong)
        {
            _diagnostics.At(Descriptors.InvalidStructure, new Located(wrong, _root), "'paths' must be an object mapping paths to path items; no operations were read.");
        }

        ReadWebhooks(root);
        ResolveJobs();
        PolicyOverrides.Apply(target, _operations, _policies, _diagnostics);

        var info = root["info"];
        var baseName = target.ClassName.EndsWith("Client", StringComparison.Ordinal) && target.ClassName.Length > "Client".Length
            ? target.ClassName.Substring(0, target.ClassName.Length - "Client".Length)
            : target.ClassName;
        var modelsNamespace = target.ModelsNamespace is { Length: > 0 } custom
            ? custom
            : (target.Namespace.Length > 0 ? target.Namespace + "." : string.Empty) + baseName + "Models";
        var jsonContextName = _typeNames.Claim(baseName + "JsonContext");

        return new ClientModel(
            target.Namespace,
            target.ClassName,
            target.Accessibility,
            modelsNamespace,
            jsonContextName,
            Text(info, "title"),
            Text(info, "description"),
            defaultServer,
            _operations.ToEquatableArray(),
            _types.OrderBy(t => t.Name, StringComparer.Ordinal).ToEquatableArray(),
            _policies.ToEquatableArray(),
            _webhooks.ToEquatableArray());
    }

    private bool CheckVersion(Located root)
    {
        if (root.Node.Kind != NodeKind.Object)
        {
            _diagnostics.At(Descriptors.NotOpenApi, root, "The document's root is not an object, so it is not an OpenAPI document; point [OpenApiClient] at an OpenAPI 2.0, 3.0 or 3.1 document.");
            return false;
        }

        var openapi = root.Node["openapi"];
        var swagger = root.Node["swagger"];
        var version = openapi?.Value ?? swagger?.Value;
        if (version is null)
        {
            _diagnostics.At(Descriptors.NotOpenApi, root.Document, root.Node.Start, 1, "The document has neither an 'openapi' nor a 'swagger' field; Conduit reads OpenAPI 2.0, 3.0 and 3.1 documents.");
            return false;
        }

        _isSwagger2 = swagger is not null && version.StartsWith("2.", StringComparison.Ordinal);
        _isOpenApi31 = openapi is not null && version.StartsWith("3.1", StringComparison.Ordinal);
        if (openapi is not null && version.StartsWith("2.", StringComparison.Ordinal))
        {
            _diagnostics.At(Descriptors.NotOpenApi, new Located(openapi, root.Document), $"OpenAPI 2.0 documents declare their version as \"swagger\": \"{version}\", not \"openapi\"; rename the field.");
            return false;
        }

        if (!_isSwagger2 && !(version.StartsWith("3.0", StringComparison.Ordinal) || version.StartsWith("3.1", StringComparison.Ordinal)))
        {
            _diagnostics.At(Descriptors.NotOpenApi, new Located(openapi ?? swagger!, root.Document), $"OpenAPI version '{version}' is not supported; Conduit reads 2.0, 3.0 and 3.1 documents.");
            return false;
        }

        return true;
    }

    private string? Swagger2Server(Node root)
    {
        var host = root["host"]?.Value;
        var basePath = root["basePath"]?.Value ?? string.Empty;
        if (host is null)
        {
            _basePath = basePath.TrimEnd('/');
            return null;
        }

        var schemes = root["schemes"]?.Items.Select(s => s.Value).ToList() ?? new List<string?>();
        var scheme = schemes.Contains("https") || schemes.Count == 0 ? "https" : schemes[0];
        return scheme + "://" + host + basePath.TrimEnd('/');
    }

    /// <summary>
    /// The first server's URL with its variables at their defaults; a URL that is a path becomes a route prefix.
    /// <paramref name="document"/> is where <paramref name="servers"/> is written, for a warning about a URL
    /// relative to the document's own location.
    /// </summary>
    private string? ServerUrl(Node? servers, ParsedDocument document, out string pathPrefix)
    {
        pathPrefix = string.Empty;
        if (servers is not { Kind: NodeKind.Array } || servers.Items.Count == 0 || servers.Items[0]["url"] is not { Value: { } url } urlNode)
        {
            return null;
        }

        if (servers.Items[0]["variables"] is { Kind: NodeKind.Object } variables)
        {
            foreach (var variable in variables.Properties)
            {
                url = url.Replace("{" + variable.Name + "}", variable.Value["default"]?.Value ?? string.Empty);
            }
        }

        // A network-path reference ("//host/base", as in APIs.guru's Kubernetes document) names a host but no
        // scheme: HTTPS, as for a Swagger 2.0 host without schemes, not a path prefix.
        if (url.StartsWith("//", StringComparison.Ordinal))
        {
            url = "https:" + url;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == "http" || absolute.Scheme == "https"))
        {
            return url.TrimEnd('/');
        }

        // A path ("/v1") prefixes every route. A reference relative to the document's own location ("v1", or the
        // "," and "Your API URL" of APIs.guru documents) cannot be resolved without knowing where the document is
        // served: it names neither a server nor a prefix, as if no server were given, and the user is told.
        if (url.StartsWith("/", StringComparison.Ordinal))
        {
            pathPrefix = url.TrimEnd('/');
        }
        else if (!string.IsNullOrWhiteSpace(url))
        {
            _diagnostics.At(
                Descriptors.ServerUrlRelative,
                new Located(urlNode, document),
                $"The server URL '{url}' is relative to where the document is served, which the build cannot know, so it is ignored: the operations it applies to "
                + "go to a server named at a higher level of the document if there is one, else to HttpClient.BaseAddress. "
                + "Give an absolute URL (https://host/base) or a path (/base) in the document, or set HttpClient.BaseAddress when you create the client.");
        }

        return null;
    }

    private void ReadPathItem(Property path)
    {
        _token.ThrowIfCancellationRequested();
        var item = new Located(path.Value, _root);
        if (Dereference(item, out _, "the path's operations are left out") is not { } resolved || resolved.Node.Kind != NodeKind.Object)
        {
            return;
        }

        item = resolved;
        string? pathServer = null;
        var prefix = _basePath;
        if (item.Node["servers"] is { } servers)
        {
            pathServer = ServerUrl(servers, item.Document, out var pathPrefix);
            prefix = pathServer is null ? pathPrefix : string.Empty;
        }

        foreach (var method in Methods)
        {
            if (item.Node[method] is { Kind: NodeKind.Object } operation)
            {
                ReadOperation(prefix + path.Name, path, method, new Located(operation, item.Document), item, pathServer);
            }
        }
    }

    private static string? Text(Located place, string key) => Text(place.Node, key);

    /// <summary><see cref="Naming.Pascal"/>, once per distinct text: documents repeat names (id, url, name) thousands of times.</summary>
    private string Pascal(string text) => Cached(_pascalNames, text, Naming.Pascal);

    /// <summary><see cref="Naming.Camel"/>, once per distinct text (parameters repeat across operations).</summary>
    private string Camel(string text) => Cached(_camelNames, text, Naming.Camel);

    private static string Cached(Dictionary<string, string> cache, string text, Func<string, string> convert)
    {
        if (!cache.TryGetValue(text, out var name))
        {
            cache[text] = name = convert(text);
        }

        return name;
    }

    private static int StatusOf(string key)
    {
        if (key == "default")
        {
            return 0;
        }

        if (key.Length == 3 && (key[1] == 'X' || key[1] == 'x') && char.IsDigit(key[0]))
        {
            return key[0] - '0';
        }

        return int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1;
    }
}
