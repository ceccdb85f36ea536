using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Conduit.CodeFixes;

/// <summary>
/// CND3007: waits for the job. A discarded handle, <c>await client.X(...)</c>, becomes
/// <c>await (await client.X(...)).WaitForCompletionAsync()</c>; a handle kept in a local gets
/// <c>await job.WaitForCompletionAsync();</c> right after its declaration. The token the call was given, if any,
/// is passed on.
/// CND3008: <c>.Result</c>, <c>.Wait()</c> and <c>.GetAwaiter().GetResult()</c> become <c>await</c>. Both are
/// offered only where <c>await</c> may be written (an async function or top-level statements).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(JobCodeFixer))]
[Shared]
public sealed class JobCodeFixer : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        UsageDescriptors.JobNotFollowed.Id,
        UsageDescriptors.BlockingOnJob.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (!FixSyntax.CanAwait(node))
            {
                continue;
            }

            var change = diagnostic.Id == UsageDescriptors.JobNotFollowed.Id
                ? node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } start ? WaitFor(root, start, model, context.CancellationToken) : null
                : node is ExpressionSyntax blocking ? Await(root, blocking) : null;
            if (change is { } newRoot)
            {
                var (title, id) = diagnostic.Id == UsageDescriptors.JobNotFollowed.Id
                    ? ("Wait for the job to complete", UsageDescriptors.JobNotFollowed.Id)
                    : ("Await instead of blocking", UsageDescriptors.BlockingOnJob.Id);
                context.RegisterCodeFix(CodeAction.Create(title, token => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)), id), diagnostic);
            }
        }
    }

    /// <summary>CND3007: the root with the job waited for, or null when the shape is not one the fix knows.</summary>
    private static SyntaxNode? WaitFor(SyntaxNode root, InvocationExpressionSyntax start, SemanticModel model, CancellationToken cancellationToken)
    {
        var token = FixSyntax.CancellationTokenOf(start, model, cancellationToken);
        var arguments = token is null ? SyntaxFactory.ArgumentList() : SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(token)));
        ExpressionSyntax task = start.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configured } ? configured : start;
        ExpressionSyntax awaited = task.Parent is AwaitExpressionSyntax await ? await : task;
        if (awaited.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } && declarator.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { } declaration)
        {
            // var job = await client.X(...);  ->  then: await job.WaitForCompletionAsync();
            // Written with the declaration's indentation and line end: elastic trivia would set top-level statements apart with blank lines.
            var indentation = declaration.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            var wait = SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(declarator.Identifier.ValueText), SyntaxFactory.IdentifierName("WaitForCompletionAsync")),
                    arguments)))
                .WithLeadingTrivia(indentation.Reverse())
                .WithTrailingTrivia(declaration.GetTrailingTrivia());
            return declaration.Parent is GlobalStatementSyntax global
                ? root.InsertNodesAfter(global, new[] { SyntaxFactory.GlobalStatement(wait) })
                : declaration.Parent is BlockSyntax or SwitchSectionSyntax ? root.InsertNodesAfter(declaration, new[] { wait }) : null;
        }

        if (awaited.Parent is not (ExpressionStatementSyntax or AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } }))
        {
            return null;
        }

        // await client.X(...);  ->  await (await client.X(...)).WaitForCompletionAsync();
        var job = awaited is AwaitExpressionSyntax ? awaited.WithoutTrivia() : SyntaxFactory.AwaitExpression(awaited.WithoutTrivia());
        var waited = SyntaxFactory.AwaitExpression(SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.ParenthesizedExpression(job), SyntaxFactory.IdentifierName("WaitForCompletionAsync")),
            arguments));
        return root.ReplaceNode(awaited, waited.WithTriviaFrom(awaited));
    }

    /// <summary>CND3008: the blocking expression as an <c>await</c> of its task, or null.</summary>
    private static SyntaxNode? Await(SyntaxNode root, ExpressionSyntax blocking)
    {
        ExpressionSyntax? task = blocking switch
        {
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result.Expression,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } wait, ArgumentList.Arguments.Count: 0 } => wait.Expression,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetResult", Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } awaiter } } } => awaiter.Expression,
            _ => null,
        };
        if (task is null)
        {
            return null;
        }

        ExpressionSyntax awaited = SyntaxFactory.AwaitExpression(task.WithoutTrivia());
        if (blocking.Parent is MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ConditionalAccessExpressionSyntax or InvocationExpressionSyntax)
        {
            awaited = SyntaxFactory.ParenthesizedExpression(awaited).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        return root.ReplaceNode(blocking, awaited.WithTriviaFrom(blocking));
    }
}
