using System;
using System.Threading;
using Conduit.Generators.Reading;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators;

/// <summary>
/// One JSON or YAML AdditionalFiles item, parsed. Equal when path and text are equal: the tree is a
/// pure function of the text, so it takes no part in equality.
/// </summary>
internal sealed class ParsedDocument : IEquatable<ParsedDocument>
{
    private LineMap? _lines;

    private ParsedDocument(string path, string text, ReadResult result)
    {
        Path = path;
        Text = text;
        Result = result;
    }

    public string Path { get; }

    public string Text { get; }

    public ReadResult Result { get; }

    /// <summary>Line starts, computed on first use: only documents with something to report need them.</summary>
    public LineMap Lines => _lines ??= LineMap.Create(Text);

    public static bool IsCandidate(AdditionalText file)
    {
        var path = file.Path;
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
    }

    public static ParsedDocument Read(AdditionalText file, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken)?.ToString() ?? string.Empty;
        return new ParsedDocument(file.Path, text, DocumentReader.Read(file.Path, text));
    }

    public bool Equals(ParsedDocument? other) =>
        other is not null && string.Equals(Path, other.Path, StringComparison.Ordinal) && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ParsedDocument);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path) ^ Text.Length;
}
