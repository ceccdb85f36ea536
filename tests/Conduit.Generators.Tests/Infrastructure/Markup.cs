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
            .SelectMany(f => f.File.Expected.Select(e => Describe(e.Id, GeneratorHarness.ProjectDirectory + f.Path, f.File.Text, e.Span)))
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToList();
        var actual = result.GeneratorDiagnostics
            .Select(d => Describe(d.Id, d.Location.GetLineSpan().Path, files.Single(f => GeneratorHarness.ProjectDirectory + f.Path == d.Location.GetLineSpan().Path).File.Text, d.Location.SourceSpan))
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToList();
        Assert.True(expected.SequenceEqual(actual), $"Expected:\n  {string.Join("\n  ", expected)}\nReported:\n  {string.Join("\n  ", result.GeneratorDiagnostics)}");
    }

    /// <summary>"CND1012 Source0.cs(6,2)-(6,52) RateLimit(20, ...)": the ID, the 1-based line span and the text under it.</summary>
    private static string Describe(string id, string path, string text, TextSpan span)
    {
        var lines = SourceText.From(text).Lines.GetLinePositionSpan(span);
        return $"{id} {path}({lines.Start.Line + 1},{lines.Start.Character + 1})-({lines.End.Line + 1},{lines.End.Character + 1}) {text.Substring(span.Start, span.Length)}";
    }
}
