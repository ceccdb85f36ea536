using System;
using System.Collections.Generic;
using System.Linq;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Spec;

/// <summary>Operations: parameters in every location and style, request bodies, results and documented errors.</summary>
internal sealed partial class OpenApiReader
{
    private static readonly string[] Styles = { "simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject" };
    private static readonly string[] ReservedParameterNames = { "cancellationToken" };
    private static readonly HashSet<string> IgnoredHeaders = new(StringComparer.OrdinalIgnoreCase) { "Accept", "Content-Type", "Authorization" };

    private void ReadOperation(string fullPath, Property path, string method, Located operation, Located pathItem, string? pathServer)
    {
        var server = pathServer;
        if (operation.Node["servers"] is { } servers && ServerUrl(servers, operation.Document, out _) is { } operationServer)
        {
            server = operationServer;
        }

        var operationId = Text(operation, "operationId") ?? method + " " + path.Name;
        var wanted = Pascal(operationId);
        var baseName = _methodNames.Claim(wanted);
        var methodName = baseName + "Async";
        if (baseName != wanted)
        {
            var where = operation.Node["operationId"] ?? path.Value;
            _diagnostics.At(Descriptors.NameAdjusted, new Located(where, operation.Document), $"The operation '{operationId}' ({method.ToUpperInvariant()} {path.Name}) would be named '{wanted}Async' like an earlier one; it is generated as '{methodName}'. Give it a unique operationId.");
        }

        var parameterNames = new NameScope(ReservedParameterNames);
        var body = ReadBody(operation, pathItem, baseName, parameterNames);
        var parameters = ReadParameters(operation, pathItem, baseName, parameterNames, operationId);
        var tags = operation.Node["tags"] is { Kind: NodeKind.Array } tagList
            ? tagList.Items.Select(t => t.Value).Where(t => t is { Length: > 0 }).Select(t => t!).ToEquatableArray()
            : EquatableArray<string>.Empty;
        var group = tags.Count > 0 ? Pascal(tags[0]) : "Default";
        var (result, errors) = ReadResponses(operation, baseName);
        var policy = ReadPolicy(operation, pathItem, method, body);
        if (!policy.MultipartAllowed && body is not null)
        {
            ReportMultipartBodies(operation, operationId);
        }

        if (operation.Node["x-job"] is { } job)
        {
            _jobs.Add((_operations.Count, new Located(job, operation.Document), HasJsonAcceptedAnswer(operation)));
        }

        _operations.Add(new OperationModel(
            methodName,
            baseName,
            operationId,
            method.ToUpperInvariant(),
            fullPath,
            server,
            group,
            Text(operation, "summary"),
            Text(operation, "description"),
            operation.Node["deprecated"]?.IsTrue == true,
            parameters,
            body,
            result,
            errors,
            PolicyIndex(policy),
            tags,
            null,
            policy));
    }

    private EquatableArray<ParameterModel> ReadParameters(Located operation, Located pathItem, string operationName, NameScope names, string operationId)
    {
        // Path-level parameters apply unless the operation redefines the same name and location.
        var all = new List<Located>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in new[] { operation, pathItem })
        {
            if (source.Node["parameters"] is not { Kind: NodeKind.Array } list)
            {
                continue;
            }

            foreach (var item in list.Items)
            {
                if (Dereference(new Located(item, source.Document), out _, "the parameter is left out") is not { } parameter || parameter.Node.Kind != NodeKind.Object)
                {
                    continue;
                }

                var key = parameter.Node["in"]?.Value + ":" + parameter.Node["name"]?.Value;
                if (keys.Add(key))
                {
                    all.Add(parameter);
                }
            }
        }

        var result = new List<ParameterModel>();
        foreach (var parameter in all)
        {
            if (ReadParameter(parameter, operationName, names, operationId) is { } model)
            {
                result.Add(model);
            }
        }

        // Required parameters first (path ones leading), then optional ones, each in document order.
        return result
            .OrderBy(p => p.Required ? 0 : 1)
            .ThenBy(p => p.Location == ParameterLocation.Path ? 0 : 1)
            .ToEquatableArray();
    }

    private ParameterModel? ReadParameter(Located parameter, string operationName, NameScope names, string operationId)
    {
        var node = parameter.Node;
        var wireName = node["name"]?.Value;
        var location = node["in"]?.Value;
        if (wireName is null || location is null)
        {
            _diagnostics.At(Descriptors.InvalidStructure, parameter, $"A parameter of '{operationId}' has no 'name' or 'in'; it is ignored.");
            return null;
        }

        ParameterLocation where;
        switch (location)
        {
            case "path": where = ParameterLocation.Path; break;
            case "query": where = ParameterLocation.Query; break;
            case "header": where = ParameterLocation.Header; break;
            case "cookie": where = ParameterLocation.Cookie; break;
            case "body":
            case "formData":
                return null; // OpenAPI 2.0 bodies are read with the request body.
            default:
                _diagnostics.At(Descriptors.InvalidStructure, new Located(node["in"]!, parameter.Document), $"The parameter '{wireName}' of '{operationId}' is 'in: {location}', which is not a parameter location; it is ignored.");
                return null;
        }

        if (where == ParameterLocation.Header && IgnoredHeaders.Contains(wireName))
        {
            _diagnostics.At(
                Descriptors.ParameterIgnored,
                new Located(node["name"]!, parameter.Document),
                $"The header parameter '{wireName}' of '{operationId}' is not generated: OpenAPI ignores Accept, Content-Type and Authorization header parameters. Set credentials on the HttpClient (DefaultRequestHeaders or a DelegatingHandler).");
            return null;
        }

        var schema = _isSwagger2 ? parameter : node["schema"] is { } s ? new Located(s, parameter.Document) : ContentSchema(node, parameter.Document);
        var type = SchemaType(schema, operationName + Pascal(wireName), out _);
        var shape = ShapeOf(type);
        if (shape == ParameterShape.Scalar && IsUnion(type))
        {
            _diagnostics.At(Descriptors.SchemaApproximated, parameter, $"The parameter '{wireName}' of '{operationId}' is a oneOf/anyOf; it is generated as a string, formatted by the caller.");
            type = TypeRef.Of(PrimitiveKind.String);
        }
        else if (type.Kind == TypeRefKind.Primitive && type.Primitive == PrimitiveKind.Any)
        {
            type = TypeRef.Of(PrimitiveKind.String);
        }

        if (where == ParameterLocation.Cookie && shape == ParameterShape.Object)
        {
            _diagnostics.At(Descriptors.SchemaApproximated, parameter, $"The cookie parameter '{wireName}' of '{operationId}' is an object; it is generated as a string, formatted by the caller.");
            type = TypeRef.Of(PrimitiveKind.String);
            shape = ParameterShape.Scalar;
        }

        var (style, explode) = StyleOf(node, where);
        return new ParameterModel(
            names.Claim(Camel(wireName)),
            wireName,
            where,
            shape,
            style,
            explode,
            node["allowReserved"]?.IsTrue == true,
            where == ParameterLocation.Path || node["required"]?.IsTrue == true,
            type,
            Text(node, "description"),
            node["deprecated"]?.IsTrue == true);
    }

    private ParameterShape ShapeOf(TypeRef type) => type.Kind switch
    {
        TypeRefKind.List => ParameterShape.List,
        TypeRefKind.Map => ParameterShape.Object,
        TypeRefKind.Named when KindOf(type) == TypeModelKind.Object => ParameterShape.Object,
        _ => ParameterShape.Scalar,
    };

    private bool IsUnion(TypeRef type) => KindOf(type) == TypeModelKind.Union;

    private (string Style, bool Explode) StyleOf(Node parameter, ParameterLocation where)
    {
        if (_isSwagger2)
        {
            return parameter["collectionFormat"]?.Value switch
            {
                "multi" => ("form", true),
                "ssv" => ("spaceDelimited", false),
                "pipes" => ("pipeDelimited", false),
                _ => (where is ParameterLocation.Query or ParameterLocation.Cookie ? "form" : "simple", false),
            };
        }

        var fallback = where is ParameterLocation.Query or ParameterLocation.Cookie ? "form" : "simple";
        var style = parameter["style"]?.Value ?? fallback;
        if (Array.IndexOf(Styles, style) < 0)
        {
            _diagnostics.At(Descriptors.InvalidStructure, new Located(parameter["style"]!, _root), $"'{style}' is not an OpenAPI parameter style; '{fallback}' is used. Use one of: {string.Join(", ", Styles)}.");
            style = fallback;
        }

        var explode = parameter["explode"] is { Kind: NodeKind.Boolean } e ? e.IsTrue : style == "form";
        return (style, explode);
    }

    private static Located? ContentSchema(Node owner, ParsedDocument document)
    {
        if (owner["content"] is { Kind: NodeKind.Object } content && content.Properties.Count > 0 && content.Properties[0].Value["schema"] is { } schema)
        {
            return new Located(schema, document);
        }

        return null;
    }

    private BodyModel? ReadBody(Located operation, Located pathItem, string operationName, NameScope names)
    {
        if (_isSwagger2)
        {
            return Swagger2Body(operation, pathItem, operationName, names);
        }

        if (operation.Node["requestBody"] is not { } raw || Dereference(new Located(raw, operation.Document), out _, "the operation is generated without a body") is not { } body)
        {
            return null;
        }

        var required = body.Node["required"]?.IsTrue == true;
        var description = Text(body, "description");
        if (body.Node["content"] is not { Kind: NodeKind.Object } content || content.Properties.Count == 0)
        {
            return null;
        }

        var (mediaType, media) = PickMediaType(content);
        var schema = media.Value["schema"] is { } s ? new Located(s, body.Document) : (Located?)null;
        return BodyFor(mediaType, schema, required, description, operationName, names);
    }

    /// <summary>
    /// CND1007 at each <c>multipart/*</c> media type an operation under <c>x-multipart: false</c> declares for its
    /// body: the service accepts no multipart transfer, so the document contradicts its own rule. The operation is
    /// still generated (it takes the body as <c>HttpContent</c>), and CND3005 reports code that sends one.
    /// </summary>
    private void ReportMultipartBodies(Located operation, string operationId)
    {
        foreach (var (place, mediaType) in MultipartMediaTypes(operation))
        {
            Invalid(
                place,
                "x-multipart",
                $"'{operationId}' declares a {mediaType} request body, but x-multipart is false here and the service accepts no multipart transfer. "
                + "Take the file by URL in a JSON body, or set x-multipart to true if the service does accept multipart uploads");
        }
    }

    /// <summary>The <c>multipart/*</c> media types of an operation that has a body (ReadBody has resolved its reference).</summary>
    private IEnumerable<(Located Place, string MediaType)> MultipartMediaTypes(Located operation)
    {
        if (!_isSwagger2)
        {
            if (operation.Node["requestBody"] is { } raw
                && Dereference(new Located(raw, operation.Document), out _, "the operation is generated without a body") is { } body
                && body.Node["content"] is { Kind: NodeKind.Object } content)
            {
                foreach (var media in content.Properties)
                {
                    if (IsMultipart(media.Name))
                    {
                        yield return (new Located(media.Value, body.Document), media.Name);
                    }
                }
            }

            yield break;
        }

        // OpenAPI 2.0: the body or form is sent as one of the operation's (or the document's) consumes types.
        var consumes = operation.Node["consumes"] is { } own ? new Located(own, operation.Document) : _root.Result.Root!["consumes"] is { } shared ? new Located(shared, _root) : (Located?)null;
        if (consumes is not { Node.Kind: NodeKind.Array } types)
        {
            yield break;
        }

        foreach (var type in types.Node.Items)
        {
            if (type.Value is { } name && IsMultipart(name))
            {
                yield return (new Located(type, types.Document), name);
            }
        }
    }

    private static bool IsMultipart(string mediaType) => mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);

    private BodyModel? Swagger2Body(Located operation, Located pathItem, string operationName, NameScope names)
    {
        foreach (var source in new[] { operation, pathItem })
        {
            if (source.Node["parameters"] is not { Kind: NodeKind.Array } list)
            {
                continue;
            }

            foreach (var item in list.Items)
            {
                if (Dereference(new Located(item, source.Document), out _, "the parameter is left out") is not { } parameter)
                {
                    continue;
                }

                var location = parameter.Node["in"]?.Value;
                if (location == "body")
                {
                    var consumes = operation.Node["consumes"] ?? _root.Result.Root!["consumes"];
                    var mediaType = consumes is { Items.Count: > 0 } ? consumes.Items[0].Value ?? "application/json" : "application/json";
                    var schema = parameter.Node["schema"] is { } s ? new Located(s, parameter.Document) : (Located?)null;
                    return BodyFor(mediaType, schema, parameter.Node["required"]?.IsTrue == true, Text(parameter, "description"), operationName, names);
                }

                if (location == "formData")
                {
                    _diagnostics.At(Descriptors.OperationApproximated, parameter, $"'{operationName}' takes formData parameters; the generated method takes the body as HttpContent (build it with FormUrlEncodedContent or MultipartFormDataContent).");
                    return new BodyModel(BodyKind.Raw, names.Claim("content"), "multipart/form-data", null, true, null);
                }
            }
        }

        return null;
    }

    private BodyModel BodyFor(string mediaType, Located? schema, bool required, string? description, string operationName, NameScope names)
    {
        var name = names.Claim("body");
        if (IsJson(mediaType))
        {
            return new BodyModel(BodyKind.Json, name, mediaType, SchemaType(schema, operationName + "Request", out _), required, description);
        }

        if (mediaType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var type = SchemaType(schema, operationName + "Request", out _);
            if (ShapeOf(type) == ParameterShape.Object)
            {
                return new BodyModel(BodyKind.Form, name, mediaType, type, required, description);
            }
        }

        if (mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return new BodyModel(BodyKind.Raw, name, mediaType, null, required, description);
        }

        if (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            return new BodyModel(BodyKind.Text, name, mediaType, TypeRef.Of(PrimitiveKind.String), required, description);
        }

        // Anything else with a structured schema is JSON under another name; the rest is bytes.
        var structured = schema is { } known ? SchemaType(known, operationName + "Request", out _) : null;
        if (structured is not null && !(structured.Kind == TypeRefKind.Primitive && structured.Primitive is PrimitiveKind.String or PrimitiveKind.Any or PrimitiveKind.Bytes))
        {
            return new BodyModel(BodyKind.Json, name, mediaType, structured, required, description);
        }

        return new BodyModel(BodyKind.Binary, name, mediaType, null, required, description);
    }

    private static (string MediaType, Property Media) PickMediaType(Node content)
    {
        foreach (var media in content.Properties)
        {
            if (IsJson(media.Name))
            {
                return (media.Name, media);
            }
        }

        return (content.Properties[0].Name, content.Properties[0]);
    }

    private static bool IsJson(string mediaType)
    {
        var type = mediaType.Split(';')[0].Trim();
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("/json", StringComparison.OrdinalIgnoreCase);
    }

    private (ResultModel Result, EquatableArray<ErrorModel> Errors) ReadResponses(Located operation, string operationName)
    {
        var successes = new List<(int Status, Located Response)>();
        var errors = new List<ErrorModel>();
        if (operation.Node["responses"] is { Kind: NodeKind.Object } responses)
        {
            foreach (var entry in responses.Properties)
            {
                var status = StatusOf(entry.Name);
                if (Dereference(new Located(entry.Value, operation.Document), out _, "the response is left out") is not { } response)
                {
                    continue;
                }

                if (status is 2 || (status >= 200 && status < 300))
                {
                    successes.Add((status == 2 ? 299 : status, response));
                }
                else if (status == 0 || (status >= 3 && status <= 5) || status >= 300)
                {
                    var schema = ResponseSchema(response, out var mediaType);
                    var type = schema is not null && IsJson(mediaType) ? SchemaType(schema, operationName + entry.Name + "Error", out _) : null;
                    errors.Add(new ErrorModel(status, type, Text(response, "description")));
                }
            }
        }

        return (ReadResult(successes.OrderBy(s => s.Status).ToList(), operationName, operation), errors.ToEquatableArray());
    }

    /// <summary>Whether the answer that accepts a job (the 202, or else the only 2xx) has a JSON body (x-job).</summary>
    private bool HasJsonAcceptedAnswer(Located operation)
    {
        var successes = new List<(string Status, Node Response)>();
        if (operation.Node["responses"] is { Kind: NodeKind.Object } responses)
        {
            foreach (var entry in responses.Properties)
            {
                var status = StatusOf(entry.Name);
                if (status is 2 || (status >= 200 && status < 300))
                {
                    successes.Add((entry.Name, entry.Value));
                }
            }
        }

        var accepted = successes.FirstOrDefault(s => s.Status == "202").Response ?? (successes.Count == 1 ? successes[0].Response : null);
        if (accepted is null || Dereference(new Located(accepted, operation.Document), out _, "the response is left out") is not { } response)
        {
            return false;
        }

        ResponseSchema(response, out var mediaType);
        return IsJson(mediaType);
    }

    private ResultModel ReadResult(List<(int Status, Located Response)> successes, string operationName, Located operation)
    {
        ResultModel? result = null;
        var mayBeEmpty = false;
        foreach (var (_, response) in successes)
        {
            var schema = ResponseSchema(response, out var mediaType);
            if (mediaType.Length == 0)
            {
                mayBeEmpty = true;
                continue;
            }

            var candidate = IsJson(mediaType)
                ? new ResultModel(ResultKind.Json, SchemaType(schema, operationName + "Response", out _), false, Text(response, "description"))
                : mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) && !IsBinary(schema)
                    ? new ResultModel(ResultKind.Text, TypeRef.Of(PrimitiveKind.String), false, Text(response, "description"))
                    : new ResultModel(ResultKind.Stream, null, false, Text(response, "description"));
            if (result is null)
            {
                result = candidate;
            }
            else if (!Equals(result.Type, candidate.Type) || result.Kind != candidate.Kind)
            {
                _diagnostics.At(Descriptors.OperationApproximated, operation, $"'{operationName}' answers success with different shapes; the result is typed as the first ({Describe(result)}).");
            }
        }

        return result is null
            ? new ResultModel(ResultKind.None, null, false, null)
            : result with { MayBeEmpty = mayBeEmpty };
    }

    private static string Describe(ResultModel result) => result.Kind == ResultKind.Json && result.Type is { } type
        ? type.Name ?? type.Kind.ToString()
        : result.Kind.ToString();

    private static bool IsBinary(Located? schema) => schema is { } s && s.Node["format"]?.Value is "binary" or "byte";

    /// <summary>A response's schema and media type; an empty media type means the response has no body.</summary>
    private Located? ResponseSchema(Located response, out string mediaType)
    {
        mediaType = string.Empty;
        if (_isSwagger2)
        {
            if (response.Node["schema"] is not { } schema)
            {
                return null;
            }

            var produces = _root.Result.Root!["produces"];
            mediaType = produces?.Items.FirstOrDefault(p => p.Value is { } v && IsJson(v))?.Value ?? "application/json";
            return new Located(schema, response.Document);
        }

        if (response.Node["content"] is not { Kind: NodeKind.Object } content || content.Properties.Count == 0)
        {
            return null;
        }

        var (type, media) = PickMediaType(content);
        mediaType = type;
        return media.Value["schema"] is { } s ? new Located(s, response.Document) : null;
    }
}
