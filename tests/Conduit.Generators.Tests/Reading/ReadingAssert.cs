using System.Linq;
using Conduit.Generators.Reading;

namespace Conduit.Generators.Tests.Reading;

/// <summary>Assertions shared by the reader tests.</summary>
internal static class ReadingAssert
{
    /// <summary>Asserts the read succeeded without any problem and returns the root.</summary>
    public static Node Clean(ReadResult result)
    {
        Assert.Empty(result.Problems);
        Assert.NotNull(result.Root);
        return result.Root!;
    }

    /// <summary>Asserts the read failed with exactly one error (after any warnings) and returns it.</summary>
    public static TextProblem SingleError(ReadResult result)
    {
        Assert.Null(result.Root);
        return Assert.Single(result.Problems, p => p.Severity == ProblemSeverity.Error);
    }

    /// <summary>Asserts the read succeeded with exactly one problem, a warning, and returns it.</summary>
    public static TextProblem SingleWarning(ReadResult result)
    {
        Assert.NotNull(result.Root);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
        return problem;
    }

    public static void Span(TextProblem problem, int start, int length)
    {
        Assert.Equal((start, length), (problem.Start, problem.Length));
    }

    /// <summary>Asserts <paramref name="node"/> covers exactly <paramref name="source"/>, the first occurrence at or after <paramref name="from"/>.</summary>
    public static void Covers(string text, Node node, string source, int from = 0)
    {
        var start = text.IndexOf(source, from, System.StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{source}' is not in the text");
        Assert.Equal((start, source.Length), (node.Start, node.Length));
    }

    public static string[] Names(Node node) => node.Properties.Select(p => p.Name).ToArray();
}
