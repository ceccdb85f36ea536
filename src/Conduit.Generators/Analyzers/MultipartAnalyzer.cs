using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// CND3005: a multipart body (<c>MultipartContent</c>, <c>MultipartFormDataContent</c>, or content created
/// with a <c>multipart/*</c> media type) given to a generated operation whose rules say
/// <c>MultipartAllowed = false</c>, or sent through the <c>HttpClient</c> property of a generated client
/// whose operations all forbid it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MultipartAnalyzer : ConduitAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(UsageDescriptors.MultipartForbidden);

    private protected override void Register(CompilationStartAnalysisContext context, ConduitSymbols symbols)
    {
        if (symbols.HttpContent is null || symbols.HttpClient is null)
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ConduitSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        string? where = null;
        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.HttpClient))
        {
            if (method.Name is "PostAsync" or "PutAsync" or "PatchAsync" or "SendAsync" or "Send"
                && ClientOf(invocation.Instance, symbols) is { } client
                && symbols.OperationsOf(client) is { IsEmpty: false } operations
                && operations.All(o => !o.MultipartAllowed))
            {
                where = "through the HttpClient of '" + client.Name + "'";
            }
        }
        else if (symbols.RulesOf(method) is { MultipartAllowed: false } rules)
        {
            where = "to '" + rules.OperationId + "'";
        }

        if (where is null)
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            var type = argument.Parameter?.Type;
            var content = ConduitSymbols.DerivesFrom(type, symbols.HttpContent) ? argument.Value
                : ConduitSymbols.DerivesFrom(type, symbols.HttpRequestMessage) ? ContentOf(argument.Value)
                : null;
            if (content is not null && IsMultipart(content, symbols))
            {
                context.ReportDiagnostic(Diagnostic.Create(UsageDescriptors.MultipartForbidden, Flow.Strip(content).Syntax.GetLocation(), where));
            }
        }
    }

    /// <summary>The generated client whose <c>HttpClient</c> property the value is (directly or through a local).</summary>
    private static INamedTypeSymbol? ClientOf(IOperation? value, ConduitSymbols symbols)
    {
        if (value is null)
        {
            return null;
        }

        value = Flow.Strip(value);
        if (value is ILocalReferenceOperation local)
        {
            value = Flow.InitialValue(local) is { } initial ? Flow.Strip(initial) : value;
        }

        return value is IPropertyReferenceOperation { Property.Name: "HttpClient", Instance: { } instance } && symbols.IsClient(instance.Type)
            ? (INamedTypeSymbol)instance.Type!
            : null;
    }

    /// <summary>The content of a request message created (directly or in a local) with <c>Content = ...</c> in its initializer.</summary>
    private static IOperation? ContentOf(IOperation request)
    {
        request = Flow.Strip(request);
        if (request is ILocalReferenceOperation local)
        {
            foreach (var reference in Flow.References(local.Local, local))
            {
                if (reference.Parent is IPropertyReferenceOperation { Property.Name: "Content", Parent: ISimpleAssignmentOperation assignment } property
                    && assignment.Target == property)
                {
                    return assignment.Value;
                }
            }

            request = Flow.InitialValue(local) is { } initial ? Flow.Strip(initial) : request;
        }

        if (request is IObjectCreationOperation { Initializer: { } initializer })
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Content" } } assignment)
                {
                    return assignment.Value;
                }
            }
        }

        return null;
    }

    /// <summary>Whether the content is multipart: a <c>MultipartContent</c>, or content created with a "multipart/..." media type.</summary>
    private static bool IsMultipart(IOperation content, ConduitSymbols symbols)
    {
        content = Flow.Strip(content);
        if (content is ILocalReferenceOperation local)
        {
            content = Flow.InitialValue(local) is { } initial ? Flow.Strip(initial) : content;
        }

        if (content is not IObjectCreationOperation creation)
        {
            return false;
        }

        return ConduitSymbols.DerivesFrom(creation.Type, symbols.MultipartContent)
            || creation.Descendants().Any(d => d.ConstantValue is { HasValue: true, Value: string text } && text.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase));
    }
}
