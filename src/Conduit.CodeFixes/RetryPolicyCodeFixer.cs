using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Conduit.CodeFixes;

/// <summary>
/// CND3002 and CND3006 on a <c>[RetryPolicy]</c> argument. CND3002: removes the 4xx statuses from
/// <c>Statuses</c>, or the whole argument when only 4xx were listed (the document's statuses then apply).
/// CND3006: writes the documented value the diagnostic names.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryPolicyCodeFixer))]
[Shared]
public sealed class RetryPolicyCodeFixer : ConduitCodeFixer
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        UsageDescriptors.RetryPolicyRetriesClientError.Id,
        UsageDescriptors.RetryPolicyOutsideRules.Id);

    private protected override Fix? FixFor(FixContext context)
    {
        var diagnostic = context.Diagnostic;
        if (!diagnostic.Properties.TryGetValue(UsageDescriptors.Properties.Value, out var value) || value is null
            || context.Node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { NameEquals: not null } argument)
        {
            return null;
        }

        var title = diagnostic.Id == UsageDescriptors.RetryPolicyOutsideRules.Id ? $"Use {argument.NameEquals.Name.Identifier.ValueText} = {value}"
            : value.Length == 0 ? "Retry the statuses the document allows"
            : "Remove the 4xx statuses";
        return new Fix(title, token => ApplyAsync(context.Document, argument, diagnostic.Id, value, token));
    }

    private static async Task<Document> ApplyAsync(Document document, AttributeArgumentSyntax argument, string id, string value, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        if (id == UsageDescriptors.RetryPolicyOutsideRules.Id)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, SyntaxFactory.ParseExpression(value).WithTriviaFrom(argument.Expression)));
        }

        if (value.Length == 0)
        {
            var list = (AttributeArgumentListSyntax)argument.Parent!;
            var remaining = list.Arguments.Remove(argument);
            return document.WithSyntaxRoot(remaining.Count == 0
                ? root.ReplaceNode(list.Parent!, ((AttributeSyntax)list.Parent!).WithArgumentList(null))
                : root.ReplaceNode(list, list.WithArguments(remaining)));
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var kept = new HashSet<string>(value.Split(','));
        bool Keep(ExpressionSyntax status) => model?.GetConstantValue(status, cancellationToken) is { HasValue: true, Value: int number }
            && kept.Contains(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ExpressionSyntax statuses = argument.Expression switch
        {
            CollectionExpressionSyntax collection => collection.WithElements(SyntaxFactory.SeparatedList<CollectionElementSyntax>(
                collection.Elements.Where(e => e is ExpressionElementSyntax element && Keep(element.Expression)).Select(e => e.WithoutTrivia()))),
            ImplicitArrayCreationExpressionSyntax array => array.WithInitializer(Kept(array.Initializer, Keep)),
            ArrayCreationExpressionSyntax { Initializer: { } initializer } array => array.WithInitializer(Kept(initializer, Keep)),
            _ => SyntaxFactory.ParseExpression("new[] { " + string.Join(", ", kept) + " }"),
        };
        return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, statuses.WithTriviaFrom(argument.Expression).WithAdditionalAnnotations(Formatter.Annotation)));
    }

    private static InitializerExpressionSyntax Kept(InitializerExpressionSyntax initializer, System.Func<ExpressionSyntax, bool> keep)
        => initializer.WithExpressions(SyntaxFactory.SeparatedList(initializer.Expressions.Where(keep).Select(e => e.WithoutTrivia())));
}
