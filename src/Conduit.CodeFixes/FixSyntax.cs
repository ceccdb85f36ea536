using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Conduit.CodeFixes;

/// <summary>Small syntax helpers the fixes share.</summary>
internal static class FixSyntax
{
    /// <summary>
    /// Parses an expression in which each of <paramref name="types"/>' names stands for its type, written out
    /// in full and marked so that the code action's clean-up shortens it and adds the using it needs.
    /// Null when a type is not in the compilation.
    /// </summary>
    public static ExpressionSyntax? Expression(string text, Document document, Compilation compilation, params (string Name, string MetadataName, string? TypeArgument)[] types)
    {
        var generator = SyntaxGenerator.GetGenerator(document);
        var replacements = new Dictionary<string, SyntaxNode>();
        foreach (var (name, metadataName, typeArgument) in types)
        {
            if (compilation.GetTypeByMetadataName(metadataName) is not { } type)
            {
                return null;
            }

            if (typeArgument is not null)
            {
                if (compilation.GetTypeByMetadataName(typeArgument) is not { } argument)
                {
                    return null;
                }

                type = type.Construct(argument);
            }

            replacements[name] = generator.TypeExpression(type).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        }

        var expression = SyntaxFactory.ParseExpression(text);
        return expression
            .ReplaceNodes(
                expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Where(n => replacements.ContainsKey(n.Identifier.ValueText)),
                (original, _) => replacements[original.Identifier.ValueText].WithTriviaFrom(original))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>Whether <c>await</c> may be written at the node: in an async method, local function or lambda, or in top-level statements.</summary>
    public static bool CanAwait(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax function:
                    return function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case GlobalStatementSyntax:
                    return true;
                case MemberDeclarationSyntax or QueryExpressionSyntax or LockStatementSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The <c>CancellationToken</c> a call was given, when it is a plain name or member access that may be
    /// written again: a fix that adds a call in the same place passes the same token.
    /// </summary>
    public static ExpressionSyntax? CancellationTokenOf(InvocationExpressionSyntax call, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var argument in call.ArgumentList.Arguments)
        {
            if (argument.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax
                && model.GetTypeInfo(argument.Expression, cancellationToken).Type is { Name: "CancellationToken" } type
                && type.ContainingNamespace.ToDisplayString() == "System.Threading"
                && model.GetConstantValue(argument.Expression, cancellationToken) is not { HasValue: true })
            {
                return argument.Expression.WithoutTrivia();
            }
        }

        return null;
    }

    /// <summary>A name for a new local, <paramref name="preferred"/> or with a number after it, that nothing in scope at the statement or inside it uses.</summary>
    public static string FreeName(SemanticModel model, SyntaxNode statement, string preferred)
    {
        var inside = statement.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToList();
        for (var i = 1; ; i++)
        {
            var name = i == 1 ? preferred : preferred + i;
            if (model.LookupSymbols(statement.SpanStart, name: name).IsEmpty && !inside.Contains(name))
            {
                return name;
            }
        }
    }

    /// <summary>Replaces a statement with another, wrapping it as a top-level statement when the original was one.</summary>
    public static SyntaxNode ReplaceStatement(SyntaxNode root, StatementSyntax statement, StatementSyntax replacement)
        => statement.Parent is GlobalStatementSyntax global
            ? root.ReplaceNode(global, SyntaxFactory.GlobalStatement(replacement).WithTriviaFrom(global))
            : root.ReplaceNode(statement, replacement);
}
