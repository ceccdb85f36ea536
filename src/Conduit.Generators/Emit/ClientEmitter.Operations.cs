using System;
using System.Collections.Generic;
using System.Linq;
using Conduit.Generators.Model;

namespace Conduit.Generators.Emit;

/// <summary>Operation descriptors with their policies, and one method per operation.</summary>
internal static partial class ClientEmitter
{
    /// <summary>The distinct job definitions: jobs started by many operations share one (a status operation and its shape).</summary>
    private static List<JobModel> Jobs(ClientModel client) => client.Operations.Where(o => o.Job is not null).Select(o => o.Job!).Distinct().ToList();

    private static void EmitOperations(SourceWriter writer, ClientModel client, TypeNames names)
    {
        // Documented errors repeat across operations (a shared 404 body, say): one instance each.
        var errors = new List<string>();
        var errorIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        string ErrorList(OperationModel operation) => operation.Errors.Count == 0
            ? string.Empty
            : ", new global::Conduit.Http.ErrorResponse[] { " + string.Join(", ", operation.Errors.Select(e =>
            {
                var expression = ErrorExpression(e, names);
                if (!errorIndex.TryGetValue(expression, out var index))
                {
                    errorIndex[expression] = index = errors.Count;
                    errors.Add(expression);
                }

                return "Errors.E" + CSharp.Number(index);
            })) + " }";

        var jobs = Jobs(client);

        writer.Line("/// <summary>The client's operations: routes, servers, the service's rules and documented errors.</summary>");
        using (writer.Open("public static class Operations"))
        {
            foreach (var operation in client.Operations)
            {
                writer.Line($"/// <summary><c>{operation.HttpMethod} {CSharp.DocLines(operation.Path).FirstOrDefault()}</c> ({CSharp.DocLines(operation.OperationId).FirstOrDefault()}).</summary>");
                writer.Line($"public static readonly global::Conduit.Http.OperationInfo {operation.FieldName} = new({CSharp.Literal(operation.OperationId)}, {CSharp.Literal(operation.HttpMethod)}, {CSharp.Literal(operation.Path)}, {CSharp.Literal(operation.Server)}, Policies.P{operation.PolicyIndex}{ErrorList(operation)});");
                writer.Line();
            }

            writer.Line("/// <summary>The distinct policies of the operations, from the document's extensions.</summary>");
            using (writer.Open("private static class Policies"))
            {
                for (var i = 0; i < client.Policies.Count; i++)
                {
                    writer.Line($"internal static readonly global::Conduit.Policies.OperationPolicy P{i} = {Policy(client.Policies[i])};");
                }
            }

            if (jobs.Count > 0)
            {
                writer.Line();
                writer.Line("/// <summary>How the jobs the operations start are followed (x-job).</summary>");
                using (writer.Open("internal static class Jobs"))
                {
                    for (var i = 0; i < jobs.Count; i++)
                    {
                        var job = jobs[i];
                        writer.Line($"internal static readonly global::Conduit.Jobs.JobDefinition<{names.Of(job.StatusType)}> J{i} = new({job.StatusField}, {CSharp.Literal(job.StatusParameter)}, "
                            + $"global::Conduit.Jobs.JobShape.{(job.Shape == "v1" ? "V1" : "V2")}, {CSharp.Literal(job.JobIdPointer)}, {CSharp.Literal(job.StatusUrlPointer)}, {names.Converter(job.StatusType)});");
                    }
                }
            }

            writer.Line();
            writer.Line("/// <summary>The distinct documented errors of the operations.</summary>");
            using (writer.Open("private static class Errors"))
            {
                for (var i = 0; i < errors.Count; i++)
                {
                    writer.Line($"internal static readonly global::Conduit.Http.ErrorResponse E{i} = {errors[i]};");
                }
            }
        }
    }

    private static string ErrorExpression(ErrorModel error, TypeNames names) => error.Type is { } type
        ? $"new global::Conduit.Http.ErrorResponse<{names.Of(type)}>({CSharp.Number(error.Status)}, {CSharp.Literal(error.Hint)}, {names.Converter(type)})"
        : $"new global::Conduit.Http.ErrorResponse({CSharp.Number(error.Status)}, {CSharp.Literal(error.Hint)})";

    private static string Policy(PolicyModel policy)
    {
        var retry = policy.Retry is { } r
            ? "new global::Conduit.Policies.RetryRule("
                + $"new int[] {{ {string.Join(", ", r.Statuses.Select(CSharp.Number))} }}, {CSharp.Number(r.MaxRetries)}, "
                + $"global::Conduit.Policies.BackoffKind.{char.ToUpperInvariant(r.Backoff[0]) + r.Backoff.Substring(1)}, "
                + $"global::System.TimeSpan.FromSeconds({CSharp.Number(r.BaseDelaySeconds)}), global::System.TimeSpan.FromSeconds({CSharp.Number(r.MaxDelaySeconds)}), "
                + $"{CSharp.Bool(r.Jitter)}, {CSharp.Bool(r.RespectRetryAfter)}, new int[] {{ {string.Join(", ", r.StatusClasses.Select(CSharp.Number))} }})"
            : "null";
        var limits = policy.RateLimits.Count == 0
            ? "null"
            : "new global::Conduit.Policies.RateLimitRule[] { " + string.Join(", ", policy.RateLimits.Select(l =>
                $"new({CSharp.Literal(l.Group)}, {CSharp.Literal(l.Method)}, global::System.TimeSpan.FromSeconds({CSharp.Number(l.WindowSeconds)}), {CSharp.Number(l.Soft)}, {CSharp.Number(l.Hard)}{(l.Limit is { } limit ? ", " + CSharp.Number(limit) : string.Empty)})")) + " }";
        var maxFiles = policy.MaxFileInputs is { } max ? CSharp.Number(max) : "null";
        return $"new({retry}, {limits}, {CSharp.Bool(policy.MultipartAllowed)}, {maxFiles})";
    }

    private static string EmitGroup(SourceWriter writer, ClientModel client, TypeNames names, List<OperationModel> operations)
    {
        var jobs = operations.Any(o => o.Job is not null) ? Jobs(client) : new List<JobModel>();
        writer.Start();
        writer.Line(CSharp.Header);
        names.WriteAliases(writer);
        writer.Line();
        WriteNamespace(writer, client);
        using (writer.Open($"partial interface {Interface(client)}"))
        {
            foreach (var operation in operations)
            {
                MethodDocs(writer, operation, names);
                writer.Line(Signature(operation, names, withDefaults: true) + ";");
                writer.Line();
            }
        }

        writer.Line();
        using (writer.Open($"partial class {client.ClassName}"))
        {
            foreach (var operation in operations)
            {
                writer.Line("/// <inheritdoc/>");
                Rules(writer, operation);
                using (writer.Open("public " + Signature(operation, names, withDefaults: true)))
                {
                    MethodBody(writer, operation, names, jobs);
                }

                writer.Line();
            }
        }

        return writer.ToString();
    }

    private static void MethodDocs(SourceWriter writer, OperationModel operation, TypeNames names)
    {
        CSharp.Doc(writer, "summary", operation.Summary ?? operation.Description ?? $"{operation.HttpMethod} {operation.Path}");
        if (operation.Summary is not null)
        {
            CSharp.Doc(writer, "remarks", operation.Description);
        }

        foreach (var parameter in operation.Parameters)
        {
            var text = parameter.Description ?? $"The '{parameter.WireName}' {parameter.Location.ToString().ToLowerInvariant()} parameter.";
            CSharp.Doc(writer, "param", text, $"name=\"{parameter.Name.TrimStart('@')}\"");
        }

        if (operation.Body is { } body)
        {
            CSharp.Doc(writer, "param", body.Description ?? $"The request body ({body.ContentType}).", $"name=\"{body.ParameterName}\"");
        }

        writer.Line("/// <param name=\"cancellationToken\">Cancels the call.</param>");
        if (operation.Job is not null)
        {
            writer.Line("/// <returns>The job the service started; <c>await job.WaitForCompletionAsync()</c> for its outcome.</returns>");
        }
        else if (operation.Result.Kind != ResultKind.None)
        {
            CSharp.Doc(writer, "returns", operation.Result.Description ?? "The answer.");
        }

        writer.Line("/// <exception cref=\"global::Conduit.ApiException\">The service answered with an error; the exception carries its status, body and a hint.</exception>");
        Rules(writer, operation);
        if (operation.Deprecated)
        {
            writer.Line("[global::System.Obsolete(\"The document marks this operation as deprecated.\")]");
        }
    }

    /// <summary>The service's rules as the document gives them, for analyzers to read from the method's symbol.</summary>
    private static void Rules(SourceWriter writer, OperationModel operation)
    {
        var rules = operation.DocumentPolicy;
        if (rules.Retry is null && rules.MultipartAllowed && rules.MaxFileInputs is null && operation.Job is null)
        {
            return;
        }

        var members = new List<string>();
        if (rules.Retry is { } retry)
        {
            members.Add($"RetryStatuses = new int[] {{ {string.Join(", ", retry.Statuses.Select(CSharp.Number))} }}");
            if (retry.StatusClasses.Count > 0)
            {
                members.Add($"RetryStatusClasses = new int[] {{ {string.Join(", ", retry.StatusClasses.Select(CSharp.Number))} }}");
            }

            members.Add("MaxRetries = " + CSharp.Number(retry.MaxRetries));
            members.Add("BaseDelaySeconds = " + CSharp.Number(retry.BaseDelaySeconds));
        }

        if (!rules.MultipartAllowed)
        {
            members.Add("MultipartAllowed = false");
        }

        if (rules.MaxFileInputs is { } max)
        {
            members.Add("MaxFileInputs = " + CSharp.Number(max));
        }

        if (operation.Job is not null)
        {
            members.Add("StartsJob = true");
        }

        writer.Line($"[global::Conduit.Policies.OperationRules({CSharp.Literal(operation.OperationId)}, {string.Join(", ", members)})]");
    }

    private static string Signature(OperationModel operation, TypeNames names, bool withDefaults)
    {
        var parts = new List<string>();
        foreach (var parameter in operation.Parameters.Where(p => p.Required))
        {
            parts.Add(names.Of(parameter.Type) + " " + parameter.Name);
        }

        if (operation.Body is { } body)
        {
            var type = BodyType(body, names);
            parts.Add(body.Required ? type + " " + body.ParameterName : type + "? " + body.ParameterName + (withDefaults ? " = null" : string.Empty));
        }

        foreach (var parameter in operation.Parameters.Where(p => !p.Required))
        {
            parts.Add(names.Of(parameter.Type) + "? " + parameter.Name + (withDefaults ? " = null" : string.Empty));
        }

        parts.Add("__Th.CancellationToken cancellationToken" + (withDefaults ? " = default" : string.Empty));
        return $"{ReturnType(operation, names)} {operation.MethodName}({string.Join(", ", parts)})";
    }

    private static string BodyType(BodyModel body, TypeNames names) => body.Kind switch
    {
        BodyKind.Binary => "__Sys.IO.Stream",
        BodyKind.Raw => "__Sys.Net.Http.HttpContent",
        BodyKind.Text => "string",
        _ => names.Of(body.Type!),
    };

    private static string ReturnType(OperationModel operation, TypeNames names)
    {
        if (operation.Job is { } job)
        {
            return $"__Th.Tasks.Task<global::Conduit.Jobs.ApiJob<{names.Of(job.StatusType)}>>";
        }

        var result = operation.Result;
        return result.Kind switch
        {
            ResultKind.Json => $"__Th.Tasks.Task<{names.Of(result.Type!, result.MayBeEmpty && !result.Type!.IsValueType)}>",
            ResultKind.Text => "__Th.Tasks.Task<string>",
            ResultKind.Stream => "__Th.Tasks.Task<__Sys.IO.Stream>",
            _ => "__Th.Tasks.Task",
        };
    }

    private static void MethodBody(SourceWriter writer, OperationModel operation, TypeNames names, List<JobModel> jobs)
    {
        writer.Line($"var __request = new global::Conduit.Http.ApiRequest(Operations.{operation.FieldName});");
        foreach (var parameter in operation.Parameters)
        {
            writer.Line(ParameterStatement(parameter, names));
        }

        if (operation.Body is { } body)
        {
            var statement = BodyStatement(body, names, body.Required ? body.ParameterName : "__body");
            writer.Line(body.Required ? statement : $"if ({body.ParameterName} is {{ }} __body) {statement}");
        }

        var result = operation.Result;
        if (operation.Job is { } job)
        {
            writer.Line($"return _connection.StartJobAsync(__request, Operations.Jobs.J{jobs.IndexOf(job)}, cancellationToken);");
            return;
        }

        writer.Line(result.Kind switch
        {
            ResultKind.Json when result.MayBeEmpty => $"return _connection.SendOrDefaultAsync(__request, {names.Converter(result.Type!)}, cancellationToken);",
            ResultKind.Json => $"return _connection.SendAsync(__request, {names.Converter(result.Type!)}, cancellationToken);",
            ResultKind.Text => "return _connection.SendForTextAsync(__request, cancellationToken);",
            ResultKind.Stream => "return _connection.SendForStreamAsync(__request, cancellationToken);",
            _ => "return _connection.SendAsync(__request, cancellationToken);",
        });
    }

    private static string BodyStatement(BodyModel body, TypeNames names, string value)
    {
        var contentType = CSharp.Literal(body.ContentType);
        return body.Kind switch
        {
            BodyKind.Json => $"__request.JsonBody({value}, {names.Converter(body.Type!)}, {contentType});",
            BodyKind.Form => $"__request.FormBody(__F.Members({value}, {names.Converter(body.Type!)})!);",
            BodyKind.Text => $"__request.TextBody({value}, {contentType});",
            BodyKind.Binary => $"__request.StreamBody({value}, {contentType});",
            _ => $"__request.Content(() => {value});",
        };
    }

    private static string ParameterStatement(ParameterModel parameter, TypeNames names)
    {
        var wire = CSharp.Literal(parameter.WireName);
        var style = "__S." + char.ToUpperInvariant(parameter.Style[0]) + parameter.Style.Substring(1);
        var explode = CSharp.Bool(parameter.Explode);
        var reserved = CSharp.Bool(parameter.AllowReserved);
        var name = parameter.Name;
        switch (parameter.Shape)
        {
            case ParameterShape.List:
                var format = ElementFormatter(parameter.Type.Element!, names);
                return parameter.Location switch
                {
                    ParameterLocation.Path => $"__request.Path({wire}, {name}, {format}, {style}, {explode});",
                    ParameterLocation.Query => $"__request.Query({wire}, {name}, {format}, {style}, {explode}, {reserved});",
                    ParameterLocation.Header => $"__request.Header({wire}, {name}, {format});",
                    _ => $"__request.Cookie({wire}, {name}, {format});",
                };
            case ParameterShape.Object:
                var members = $"__F.Members({name}, {names.Converter(parameter.Type)})";
                return parameter.Location switch
                {
                    ParameterLocation.Path => $"__request.PathObject({wire}, {members}!, {style}, {explode});",
                    ParameterLocation.Query => $"__request.QueryObject({wire}, {members}, {style}, {explode}, {reserved});",
                    _ => $"__request.HeaderObject({wire}, {members}, {explode});",
                };
            default:
                var value = ScalarText(parameter, names);
                return parameter.Location switch
                {
                    ParameterLocation.Path => parameter.Style == "simple" && !parameter.Explode
                        ? $"__request.Path({wire}, {value});"
                        : $"__request.Path({wire}, {value}, {style}, {explode});",
                    ParameterLocation.Query => parameter.AllowReserved ? $"__request.Query({wire}, {value}, true);" : $"__request.Query({wire}, {value});",
                    ParameterLocation.Header => $"__request.Header({wire}, {value});",
                    _ => $"__request.Cookie({wire}, {value});",
                };
        }
    }

    /// <summary>An expression for a scalar parameter's wire text (null when an optional parameter is absent).</summary>
    private static string ScalarText(ParameterModel parameter, TypeNames names)
    {
        var name = parameter.Name;
        var type = parameter.Type;
        if (names.IsEnum(type))
        {
            return parameter.Required ? name + ".Value" : name + "?.Value";
        }

        if (type.Kind == TypeRefKind.Primitive && type.Primitive == PrimitiveKind.String)
        {
            return name;
        }

        const string Format = "__F.Format";
        if (parameter.Required)
        {
            return $"{Format}({name})";
        }

        return type.IsValueType
            ? $"({name} is {{ }} __{name.TrimStart('@')} ? {Format}(__{name.TrimStart('@')}) : null)"
            : $"({name} is null ? null : {Format}({name}))";
    }

    private static string ElementFormatter(TypeRef element, TypeNames names)
    {
        if (names.IsEnum(element))
        {
            return "static __x => __x.Value";
        }

        return element.Kind == TypeRefKind.Primitive && element.Primitive != PrimitiveKind.Any
            ? "__F.Format"
            : "static __x => __x.ToString()!";
    }
}
