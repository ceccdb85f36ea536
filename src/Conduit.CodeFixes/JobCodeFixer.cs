using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Conduit.Generators.Analyzers;
using Microsoft.CodeAnalysis;
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
public sealed class JobCodeFixer : ConduitCodeFixer
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        UsageDescriptors.JobNotFollowed.Id,
        UsageDescriptors.BlockingOnJob.Id);

    private protected override Fix? FixFor(FixContext context)
    {
        var node = context.Node;
        if (!FixSyntax.CanAwait(node))
        {
            return null;
        }

        if (context.Diagnostic.Id == UsageDescriptors.JobNotFollowed.Id)
        {
            return node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } start && WaitFor(context.Root, start, context.Model, context.CancellationToken) is { } waited
                ? Replace("Wait for the job to complete", context, waited)
                : null;
        }

        return node is ExpressionSyntax blocking && Await(context.Root, blocking) is { } awaited ? Replace("Await instead of blocking", context, awaited) : null;
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
