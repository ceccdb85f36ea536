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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Conduit.CodeFixes;

/// <summary>
/// CND3001: sends one request per input file. <c>await client.X(new R { Inputs = [a, b], ... });</c> becomes
/// <c>foreach (var input in new T[] { a, b }) { await client.X(new R { Inputs = [input], ... }); }</c>. Offered
/// only for that shape: the files written out in the request, the request written in the call, the call a
/// statement of its own (awaited or not), since a value used afterwards cannot become several.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FileInputCodeFixer))]
[Shared]
public sealed class FileInputCodeFixer : ConduitCodeFixer
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(UsageDescriptors.TooManyFileInputs.Id);

    private protected override Fix? FixFor(FixContext context)
        => context.Node is ExpressionSyntax files && Shape.Of(files) is { } shape
            ? new Fix("Send one request per input file", token => ApplyAsync(context.Document, shape, token))
            : null;

    private static async Task<Document> ApplyAsync(Document document, Shape shape, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || model.GetSymbolInfo(shape.Property, cancellationToken).Symbol is not IPropertySymbol property || ElementType(property.Type) is not { } elementType)
        {
            return document;
        }

        var name = FixSyntax.FreeName(model, shape.Statement, "input");
        var one = SyntaxFactory.IdentifierName(name);
        ExpressionSyntax single = shape.Files switch
        {
            CollectionExpressionSyntax collection => collection.WithElements(SyntaxFactory.SingletonSeparatedList<CollectionElementSyntax>(SyntaxFactory.ExpressionElement(one))),
            ImplicitArrayCreationExpressionSyntax array => array.WithInitializer(array.Initializer.WithExpressions(SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(one))),
            ArrayCreationExpressionSyntax array => array.WithInitializer(array.Initializer!.WithExpressions(SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(one))),
            ObjectCreationExpressionSyntax list => list.WithInitializer(list.Initializer!.WithExpressions(SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(one))),
            _ => shape.Files,
        };

        var type = (TypeSyntax)SyntaxGenerator.GetGenerator(document).TypeExpression(elementType).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var inputs = SyntaxFactory.ArrayCreationExpression(
            SyntaxFactory.ArrayType(type, SyntaxFactory.SingletonList(SyntaxFactory.ArrayRankSpecifier(SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.OmittedArraySizeExpression())))),
            SyntaxFactory.InitializerExpression(SyntaxKind.ArrayInitializerExpression, SyntaxFactory.SeparatedList(shape.Elements.Select(e => e.WithoutTrivia()))));
        var body = shape.Statement.ReplaceNode(shape.Files, single.WithTriviaFrom(shape.Files)).WithoutLeadingTrivia().WithTrailingTrivia(SyntaxFactory.ElasticMarker);
        var loop = SyntaxFactory.ForEachStatement(SyntaxFactory.IdentifierName("var"), SyntaxFactory.Identifier(name), inputs, SyntaxFactory.Block(body))
            .WithLeadingTrivia(shape.Statement.GetLeadingTrivia())
            .WithTrailingTrivia(shape.Statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(FixSyntax.ReplaceStatement(root, shape.Statement, loop));
    }

    /// <summary>The element type of the property's collection type: <c>T</c> of <c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c>, <c>List&lt;T&gt;</c>...</summary>
    private static ITypeSymbol? ElementType(ITypeSymbol? collection) => collection switch
    {
        IArrayTypeSymbol array => array.ElementType,
        INamedTypeSymbol { TypeArguments.Length: 1 } named => named.TypeArguments[0],
        INamedTypeSymbol named => named.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0],
        _ => null,
    };

    /// <summary>The request property assigned (such as <c>Inputs</c>), the files as written, and the statement that sends the request.</summary>
    private sealed record Shape(ExpressionSyntax Property, ExpressionSyntax Files, IReadOnlyList<ExpressionSyntax> Elements, StatementSyntax Statement)
    {
        public static Shape? Of(ExpressionSyntax files)
        {
            if (WrittenOut(files) is not { } elements
                || files.Parent is not AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax { Parent: BaseObjectCreationExpressionSyntax request } } assignment
                || assignment.Right != files
                || request.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } })
            {
                return null;
            }

            // The call, awaited (with or without ConfigureAwait) or not, is the whole statement.
            SyntaxNode sent = call;
            if (sent.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure && configure.Parent is InvocationExpressionSyntax configured)
            {
                sent = configured;
            }

            if (sent.Parent is AwaitExpressionSyntax awaited)
            {
                sent = awaited;
            }

            return sent.Parent is ExpressionStatementSyntax statement && statement.Parent is BlockSyntax or GlobalStatementSyntax or SwitchSectionSyntax
                ? new Shape(assignment.Left, files, elements, statement)
                : null;
        }

        /// <summary>The elements of a collection written out in full (no spread), or null.</summary>
        private static List<ExpressionSyntax>? WrittenOut(ExpressionSyntax files) => files switch
        {
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax)
                => collection.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
            ImplicitArrayCreationExpressionSyntax array => array.Initializer.Expressions.ToList(),
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.ToList(),
            ObjectCreationExpressionSyntax { Initializer: { } initializer, ArgumentList: null or { Arguments.Count: 0 } }
                when initializer.IsKind(SyntaxKind.CollectionInitializerExpression) && initializer.Expressions.All(e => e is not InitializerExpressionSyntax)
                => initializer.Expressions.ToList(),
            _ => null,
        };
    }
}
