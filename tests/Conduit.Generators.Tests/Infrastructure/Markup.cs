using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Conduit.Generators.Tests.Infrastructure;

/// <summary>
/// A C# file or an OpenAPI document with the diagnostics it must produce marked around their exact
/// spans, as Microsoft.CodeAnalysis.Testing writes them: <c>[{|CND1012:RateLimit(20)|}]</c>,
/// <c>statusOperation: {|CND1007:nope|}</c>.
/// </summary>
internal sealed class Markup
{
    private Markup(string text, ImmutableArray<(string Id, TextSpan Span)> expected)
    {
        Text = text;
        Expected = expected;
    }

    /// <summary>The text without its marks, as the generator sees it.</summary>
    public string Text { get; }

    /// <summary>The marked diagnostics: their ID and span in <see cref="Text"/>.</summary>
    public ImmutableArray<(string Id, TextSpan Span)> Expected { get; }

    public static Markup Parse(string markup)
    {
        TestFileMarkupParser.GetSpans(markup, out var text, out ImmutableDictionary<string, ImmutableArray<TextSpan>> spans);
        Assert.False(spans.ContainsKey(string.Empty), "Mark each expected diagnostic with its ID: {|CND1010:...|}, not [|...|].");
        return new Markup(text, spans.SelectMany(entry => entry.Value.Select(span => (entry.Key, span))).ToImmutableArray());
    }

    /// <summary>
    /// Asserts that the generator reported exactly the diagnostics marked in these files, each at its
    /// span in its own file (the C# source or the document), and nothing else.
    /// </summary>
    public static void AssertReported(GenerationResult result, params (string Path, Markup File)[] files)
    {
        var expected = files
            .SelectMany(f => f.File.Expected.Select(e => Describe(e.Id, GeneratorHarness.ProjectDirectory + f.Path, SourceText.From(f.File.Text).Lines.GetLinePositionSpan(e.Span), f.File.Text, e.Span)))
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToList();

        // The reported line and column are the diagnostic's own (the document's line map), not recomputed here.
        var actual = result.GeneratorDiagnostics
            .Select(d => (Diagnostic: d, Lines: d.Location.GetLineSpan()))
            .Select(d => files.FirstOrDefault(f => GeneratorHarness.ProjectDirectory + f.Path == d.Lines.Path).File is { } file
                ? Describe(d.Diagnostic.Id, d.Lines.Path, d.Lines.Span, file.Text, d.Diagnostic.Location.SourceSpan)
                : d.Diagnostic.ToString())
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToList();
        Assert.True(expected.SequenceEqual(actual), $"Expected:\n  {string.Join("\n  ", expected)}\nReported:\n  {string.Join("\n  ", actual)}");
    }

    /// <summary>"CND1012 /project/Source0.cs(6,2)-(6,52) RateLimit(20, ...)": the ID, the 1-based line span and the text under the span.</summary>
    private static string Describe(string id, string path, LinePositionSpan lines, string text, TextSpan span)
        => $"{id} {path}({lines.Start.Line + 1},{lines.Start.Character + 1})-({lines.End.Line + 1},{lines.End.Character + 1}) {text.Substring(span.Start, span.Length)}";
}
