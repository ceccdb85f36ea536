using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Conduit.Generators.Analyzers;

/// <summary>
/// CND3003 and CND3004: resilience added to a generated client on top of Conduit's own pipeline. A Polly retry
/// strategy whose <c>ShouldHandle</c> can be true for a 4xx, added in <c>ConduitClientOptions.ConfigurePipeline</c>
/// or in <c>AddResilienceHandler</c> on a generated client's <c>IHttpClientBuilder</c>; and
/// Microsoft.Extensions.Http.Resilience's standard handlers on that builder.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResilienceAnalyzer : ConduitAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        UsageDescriptors.RetryStrategyRetriesClientError,
        UsageDescriptors.StandardResilienceHandler);

    private protected override void Register(CompilationStartAnalysisContext context, ConduitSymbols symbols)
    {
        if (symbols.HttpClientBuilder is null)
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ConduitSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        switch (invocation.TargetMethod.Name)
        {
            case "AddStandardResilienceHandler" or "AddStandardHedgingHandler":
                AnalyzeStandardHandler(context, invocation, symbols);
                break;
            case "AddRetry" when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.RetryExtensions):
                AnalyzeRetry(context, invocation, symbols);
                break;
        }
    }

    /// <summary>CND3004, at the call from its name to its closing parenthesis.</summary>
    private static void AnalyzeStandardHandler(OperationAnalysisContext context, IInvocationOperation invocation, ConduitSymbols symbols)
    {
        if (invocation.Arguments.Length == 0 || symbols.ClientRegisteredBy(invocation.Arguments[0].Value) is not { } client
            || invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } syntax)
        {
            return;
        }

        var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(access.Name.SpanStart, syntax.Span.End);
        context.ReportDiagnostic(Diagnostic.Create(
            UsageDescriptors.StandardResilienceHandler,
            Location.Create(syntax.SyntaxTree, span),
            invocation.TargetMethod.Name,
            client.Name));
    }

    /// <summary>CND3003: <c>AddRetry(options)</c> inside a pipeline that runs for a generated client's requests.</summary>
    private static void AnalyzeRetry(OperationAnalysisContext context, IInvocationOperation invocation, ConduitSymbols symbols)
    {
        if (invocation.Arguments.Length < 2 || AttachedTo(invocation, symbols) is not { } requests)
        {
            return;
        }

        var options = Flow.Strip(invocation.Arguments[1].Value);
        if (options is ILocalReferenceOperation local)
        {
            options = Flow.InitialValue(local) is { } initial ? Flow.Strip(initial) : options;
        }

        if (options is not IObjectCreationOperation creation || !IsHttpRetryOptions(creation.Type, symbols))
        {
            return;
        }

        IOperation? shouldHandle = null;
        foreach (var initializer in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } } assignment)
            {
                shouldHandle = assignment.Value;
            }
        }

        // HttpRetryStrategyOptions handles 408, 429 and 5xx unless told otherwise; Polly's own options handle no response.
        StatusSet? handled;
        Location location;
        if (shouldHandle is not null)
        {
            handled = new StatusPredicate(symbols).OfPredicate(shouldHandle);
            location = Flow.Strip(shouldHandle).Syntax.GetLocation();
        }
        else if (ConduitSymbols.DerivesFrom(creation.Type, symbols.HttpRetryStrategyOptions))
        {
            handled = StatusSet.Transient;
            location = creation.Syntax.GetLocation();
        }
        else
        {
            return;
        }

        var clientErrors = handled?.Intersect(StatusSet.ClientErrors);
        if (clientErrors is { IsEmpty: false })
        {
            context.ReportDiagnostic(Diagnostic.Create(UsageDescriptors.RetryStrategyRetriesClientError, location, clientErrors.ToString(), requests));
        }
    }

    private static bool IsHttpRetryOptions(ITypeSymbol? type, ConduitSymbols symbols)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, symbols.RetryStrategyOptions))
            {
                return SymbolEqualityComparer.Default.Equals(current.TypeArguments[0], symbols.HttpResponseMessage);
            }
        }

        return false;
    }

    /// <summary>
    /// Whose requests the pipeline being configured runs for, for the message, or null when it is not a
    /// generated client's: the lambda given to <c>ConduitClientOptions.ConfigurePipeline</c>, or to
    /// <c>AddResilienceHandler</c> on a generated client's builder.
    /// </summary>
    private static string? AttachedTo(IOperation operation, ConduitSymbols symbols)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation)
            {
                continue;
            }

            var use = current.Parent is IDelegateCreationOperation creation ? creation.Parent : current.Parent;
            while (use is IConversionOperation)
            {
                use = use.Parent;
            }

            switch (use)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ConfigurePipeline" } target }
                    when SymbolEqualityComparer.Default.Equals(target.Property.ContainingType, symbols.ClientOptions):
                    return "the requests of generated clients (ConduitClientOptions.ConfigurePipeline)";
                case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AddResilienceHandler" } handler } when handler.Arguments.Length > 0:
                    return symbols.ClientRegisteredBy(handler.Arguments[0].Value) is { } client ? "the requests of '" + client.Name + "'" : null;
            }
        }

        return null;
    }
}
