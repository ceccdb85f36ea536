using System.Collections.Immutable;
using Conduit.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Generators.Model;

/// <summary>A place in a file, kept as plain values so models stay equatable.</summary>
internal sealed record LocationInfo(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>
    /// The location in the C# file among <paramref name="sourceFiles"/> at <see cref="Path"/>, so the diagnostic
    /// is in source (code fixes, <c>#pragma</c> and <c>.editorconfig</c> apply); else a position in a file
    /// outside the compilation, such as an OpenAPI document.
    /// </summary>
    public Location ToLocation(ImmutableArray<SyntaxTree> sourceFiles)
    {
        var span = new TextSpan(Start, Length);
        foreach (var tree in sourceFiles)
        {
            if (tree.FilePath == Path && span.End <= tree.Length)
            {
                return Location.Create(tree, span);
            }
        }

        return Location.Create(Path, span, new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
    }

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        var span = location.GetLineSpan();
        return new LocationInfo(
            location.SourceTree.FilePath,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            span.StartLinePosition.Line,
            span.StartLinePosition.Character,
            span.EndLinePosition.Line,
            span.EndLinePosition.Character);
    }
}

/// <summary>A diagnostic to report, kept as plain values so models stay equatable.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic(ImmutableArray<SyntaxTree> sourceFiles)
    {
        var args = new object[Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Arguments[i];
        }

        return Diagnostic.Create(Descriptors.ById(Id), Location?.ToLocation(sourceFiles) ?? Microsoft.CodeAnalysis.Location.None, args);
    }
}
