using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Conduit.Generators;

/// <summary>Step 1 and 2 of the pipeline: what the attribute and the build say.</summary>
public sealed partial class ClientGenerator
{
    private static bool IsCandidateClass(SyntaxNode node, CancellationToken cancellationToken) => node is ClassDeclarationSyntax;

    private static ClientTarget ReadTarget(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var attribute = context.Attributes[0];
        var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation());
        var document = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        string? modelsNamespace = null;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "ModelsNamespace")
            {
                modelsNamespace = argument.Value.Value as string;
            }
        }

        var ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        var accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
        var problem = CheckClass(type, (ClassDeclarationSyntax)context.TargetNode, document, location);
        return new ClientTarget(ns, type.Name, accessibility, document ?? string.Empty, modelsNamespace, location, problem, ReadOverrides(type, cancellationToken));
    }

    /// <summary>The class's [RetryPolicy] and [RateLimit] attributes, with only the members they set.</summary>
    private static EquatableArray<PolicyOverride> ReadOverrides(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        List<PolicyOverride>? overrides = null;
        foreach (var attribute in type.GetAttributes())
        {
            var name = attribute.AttributeClass?.ToDisplayString();
            if (name is not (RetryPolicyAttributeName or RateLimitAttributeName))
            {
                continue;
            }

            var isRetry = name == RetryPolicyAttributeName;
            var set = new Dictionary<string, TypedConstant>(StringComparer.Ordinal);
            foreach (var argument in attribute.NamedArguments)
            {
                set[argument.Key] = argument.Value;
            }

            string? Text(string key) => set.TryGetValue(key, out var value) ? value.Value as string : null;
            T? Value<T>(string key)
                where T : struct => set.TryGetValue(key, out var value) && value.Value is T typed ? typed : null;
            EquatableArray<int>? statuses = set.TryGetValue("Statuses", out var list) && !list.IsNull
                ? list.Values.Select(v => v.Value is int status ? status : 0).ToEquatableArray()
                : null;
            var backoff = Value<int>("Backoff") is { } kind ? kind switch { 0 => "constant", 1 => "linear", 2 => "exponential", _ => "unknown" } : null;
            var limit = !isRetry && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int l ? l : (int?)null;
            (overrides ??= new List<PolicyOverride>()).Add(new PolicyOverride(
                isRetry,
                Text("Operation"),
                Text("Tag"),
                Text("HttpMethod"),
                Text("Group"),
                Value<int>("MaxRetries"),
                statuses,
                backoff,
                Value<double>("BaseDelaySeconds"),
                Value<double>("MaxDelaySeconds"),
                Value<bool>("Jitter"),
                Value<bool>("RespectRetryAfter"),
                limit,
                Value<double>("WindowSeconds"),
                LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation())));
        }

        return overrides is null ? EquatableArray<PolicyOverride>.Empty : overrides.ToEquatableArray();
    }

    private static DiagnosticInfo? CheckClass(INamedTypeSymbol type, ClassDeclarationSyntax syntax, string? document, LocationInfo? location)
    {
        string? message = null;
        if (string.IsNullOrWhiteSpace(document))
        {
            message = $"[OpenApiClient] on '{type.Name}' names no document; pass the path of an AdditionalFiles item, such as [OpenApiClient(\"openapi/api.json\")]";
        }
        else if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            message = $"'{type.Name}' must be declared 'partial' so Conduit can add the client's members to it";
        }
        else if (type.ContainingType is not null)
        {
            message = $"'{type.Name}' is nested in '{type.ContainingType.Name}'; declare the client class at namespace level";
        }
        else if (type.IsGenericType)
        {
            message = $"'{type.Name}' is generic; a client class cannot have type parameters";
        }
        else if (type.IsStatic || type.IsAbstract)
        {
            message = $"'{type.Name}' is static or abstract; a client class must be instantiable";
        }

        return message is null
            ? null
            : new DiagnosticInfo(Descriptors.InvalidClientClass.Id, location, new EquatableArray<string>(new[] { message }));
    }

    private static string ReadProjectDirectory(AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
        => options.GlobalOptions.TryGetValue("build_property.projectdir", out var directory) ? directory : string.Empty;
}
