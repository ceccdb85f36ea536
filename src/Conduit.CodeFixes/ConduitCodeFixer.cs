using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Conduit.CodeFixes;

/// <summary>
/// What Conduit's code fixes share: Fix All by <see cref="WellKnownFixAllProviders.BatchFixer"/>, the
/// diagnostic's ID as the equivalence key (so Fix All applies one kind of fix), and one fix per
/// diagnostic, computed from the node the diagnostic points at.
/// </summary>
public abstract class ConduitCodeFixer : CodeFixProvider
{
    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
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
            if (FixFor(new FixContext(context.Document, root, model, diagnostic, node, context.CancellationToken)) is { } fix)
            {
                context.RegisterCodeFix(CodeAction.Create(fix.Title, fix.Apply, diagnostic.Id), diagnostic);
            }
        }
    }

    /// <summary>The fix for one diagnostic, or null when its code has a shape the fix does not handle.</summary>
    private protected abstract Fix? FixFor(FixContext context);

    /// <summary>A fix that is already computed: the new syntax root of the document.</summary>
    private protected static Fix Replace(string title, FixContext context, SyntaxNode newRoot)
        => new(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)));
}

/// <summary>A diagnostic to fix, the node it points at, and its document's syntax and semantics.</summary>
internal sealed record FixContext(Document Document, SyntaxNode Root, SemanticModel Model, Diagnostic Diagnostic, SyntaxNode Node, CancellationToken CancellationToken);

/// <summary>A code action's title and what it does.</summary>
internal sealed record Fix(string Title, Func<CancellationToken, Task<Document>> Apply);
