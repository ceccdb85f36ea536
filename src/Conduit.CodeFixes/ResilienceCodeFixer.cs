using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using Conduit.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Conduit.CodeFixes;

/// <summary>
/// CND3003: makes the retry strategy handle 5xx answers only. The predicate is replaced with the service's
/// rule (a <c>PredicateBuilder</c> stays a <c>PredicateBuilder</c>); <c>HttpRetryStrategyOptions</c> without a
/// predicate gets one. Exceptions are no longer retried either: a request that got no answer may have
/// started a job, which is why Conduit does not retry it.
/// CND3004: removes the standard resilience (or hedging) handler from the generated client's builder, with
/// the calls that configure it, where the builder's value is not used afterwards.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ResilienceCodeFixer))]
[Shared]
public sealed class ResilienceCodeFixer : ConduitCodeFixer
{
    private const string LambdaPredicate = "static args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError })";

    private const string BuilderPredicate = "new PredicateBuilder().HandleResult(static response => response.StatusCode >= HttpStatusCode.InternalServerError)";

    private static readonly (string, string, string?) ValueTask = ("ValueTask", "System.Threading.Tasks.ValueTask", null);

    private static readonly (string, string, string?) HttpStatusCode = ("HttpStatusCode", "System.Net.HttpStatusCode", null);

    private static readonly (string, string, string?) PredicateBuilder = ("PredicateBuilder", "Polly.PredicateBuilder`1", "System.Net.Http.HttpResponseMessage");

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        UsageDescriptors.RetryStrategyRetriesClientError.Id,
        UsageDescriptors.StandardResilienceHandler.Id);

    private protected override Fix? FixFor(FixContext context)
    {
        if (context.Diagnostic.Id == UsageDescriptors.RetryStrategyRetriesClientError.Id)
        {
            return context.Node is ExpressionSyntax predicate && FiveHundreds(predicate, context.Document, context.Model, context.CancellationToken) is { } fixedNode
                ? Replace("Retry 5xx answers only", context, context.Root.ReplaceNode(predicate, fixedNode))
                : null;
        }

        return context.Node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } call && Removal(call, context.Model, context.CancellationToken) is { } removal
            ? Replace("Remove the standard handler (Conduit applies the document's rules)", context, removal.New is null ? context.Root.RemoveNode(removal.Old, SyntaxRemoveOptions.KeepNoTrivia)! : context.Root.ReplaceNode(removal.Old, removal.New))
            : null;
    }

    /// <summary>The reported node with a 5xx-only predicate: the <c>ShouldHandle</c> value, or the options created without one.</summary>
    private static SyntaxNode? FiveHundreds(ExpressionSyntax reported, Document document, SemanticModel model, CancellationToken cancellationToken)
    {
        var lambda = FixSyntax.Expression(LambdaPredicate, document, model.Compilation, ValueTask, HttpStatusCode);
        if (reported.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "ShouldHandle" } } assignment && assignment.Right == reported)
        {
            var isBuilder = model.GetTypeInfo(reported, cancellationToken).Type is { Name: "PredicateBuilder", ContainingNamespace.Name: "Polly" };
            return (isBuilder ? FixSyntax.Expression(BuilderPredicate, document, model.Compilation, PredicateBuilder, HttpStatusCode) : lambda)?.WithTriviaFrom(reported);
        }

        if (reported is BaseObjectCreationExpressionSyntax creation && lambda is not null)
        {
            var shouldHandle = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("ShouldHandle"), lambda);
            var initializer = creation.Initializer is { } existing
                ? existing.AddExpressions(shouldHandle)
                : SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(shouldHandle));
            return creation.WithInitializer(initializer).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
        }

        return null;
    }

    /// <summary>
    /// What removing the handler changes: the statement goes (when its receiver is a plain name), or the handler
    /// call and the calls chained on what it returned give way to the builder it was called on. Null when the
    /// chain's value is used as something other than the builder.
    /// </summary>
    private static (SyntaxNode Old, SyntaxNode? New)? Removal(InvocationExpressionSyntax handler, SemanticModel model, CancellationToken cancellationToken)
    {
        if (handler.Expression is not MemberAccessExpressionSyntax { Expression: { } builder })
        {
            return null;
        }

        // Calls on the handler's own builder (Configure...) go with it.
        ExpressionSyntax chain = handler;
        while (chain.Parent is MemberAccessExpressionSyntax access && access.Expression == chain && access.Parent is InvocationExpressionSyntax next
            && !SameType(model, chain, builder, cancellationToken))
        {
            chain = next;
        }

        if (chain.Parent is ExpressionStatementSyntax statement)
        {
            return builder is IdentifierNameSyntax or MemberAccessExpressionSyntax
                ? (statement.Parent is GlobalStatementSyntax global ? global : statement, null)
                : (chain, builder.WithTrailingTrivia(chain.GetTrailingTrivia()));
        }

        return SameType(model, chain, builder, cancellationToken) ? (chain, builder.WithTrailingTrivia(chain.GetTrailingTrivia())) : null;
    }

    private static bool SameType(SemanticModel model, ExpressionSyntax a, ExpressionSyntax b, CancellationToken cancellationToken)
        => SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(a, cancellationToken).Type, model.GetTypeInfo(b, cancellationToken).Type);
}
