using System.Collections.Immutable;

namespace Conduit.Generators.Reading;

/// <summary>The DOM read from a document, with every problem found on the way.</summary>
internal sealed class ReadResult
{
    public ReadResult(Node? root, ImmutableArray<TextProblem> problems)
    {
        Root = root;
        Problems = problems;
    }

    /// <summary>The document's root value; null only when an <see cref="ProblemSeverity.Error"/> made the document unreadable.</summary>
    public Node? Root { get; }

    public ImmutableArray<TextProblem> Problems { get; }
}
