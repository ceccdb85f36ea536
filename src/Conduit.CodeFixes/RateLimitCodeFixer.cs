using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Generators;
using Conduit.Generators.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Conduit.CodeFixes;

/// <summary>
/// CND1012 (the generator's): replaces a <c>[RateLimit(n)]</c> above the service's hard limit with the hard
/// limit the diagnostic names. An attribute that reaches several limits is reported once for each it
/// exceeds; the fix, and Fix All, use the lowest of their hard limits, so that one edit clears them all.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RateLimitCodeFixer))]
[Shared]
public sealed class RateLimitCodeFixer : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.RateLimitAboveHardLimit.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(static async (context, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var limits = Limits(root, diagnostics);
        return document.WithSyntaxRoot(root.ReplaceNodes(limits.Keys, (original, _) => Literal(original, limits[original])));
    });

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var limit in Limits(root, context.Diagnostics))
        {
            var diagnostics = context.Diagnostics.Where(d => Limit(root, d) == limit.Key).ToImmutableArray();
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use the hard limit, " + limit.Value.ToString(CultureInfo.InvariantCulture),
                    token => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(limit.Key, Literal(limit.Key, limit.Value)))),
                    Descriptors.RateLimitAboveHardLimit.Id),
                diagnostics);
        }
    }

    /// <summary>Each attribute's limit argument and the lowest hard limit its diagnostics name.</summary>
    private static Dictionary<ExpressionSyntax, int> Limits(SyntaxNode root, IEnumerable<Diagnostic> diagnostics)
    {
        var limits = new Dictionary<ExpressionSyntax, int>();
        foreach (var diagnostic in diagnostics)
        {
            if (Limit(root, diagnostic) is { } argument && PolicyOverrides.HardLimitIn(diagnostic.GetMessage(CultureInfo.InvariantCulture)) is { } hard)
            {
                limits[argument] = limits.TryGetValue(argument, out var other) && other < hard ? other : hard;
            }
        }

        return limits;
    }

    /// <summary>The attribute's first positional argument, the limit.</summary>
    private static ExpressionSyntax? Limit(SyntaxNode root, Diagnostic diagnostic)
        => diagnostic.Location.IsInSource
            && root.FindNode(diagnostic.Location.SourceSpan)?.FirstAncestorOrSelf<AttributeSyntax>()?.ArgumentList?.Arguments.FirstOrDefault() is { NameEquals: null, NameColon: null or { Name.Identifier.ValueText: "limit" } } argument
            ? argument.Expression
            : null;

    private static LiteralExpressionSyntax Literal(ExpressionSyntax original, int value)
        => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value)).WithTriviaFrom(original);
}
