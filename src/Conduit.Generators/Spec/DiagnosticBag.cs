using System.Collections.Generic;
using Conduit.Generators.Helpers;
using Conduit.Generators.Model;
using Conduit.Generators.Reading;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Spec;

/// <summary>Collects diagnostics at document positions, once each, in the order they were found.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<DiagnosticInfo> _items = new();
    private readonly HashSet<DiagnosticInfo> _seen = new();

    public void Add(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => Add(new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments)));

    public void Add(DiagnosticInfo info)
    {
        if (_seen.Add(info))
        {
            _items.Add(info);
        }
    }

    public void At(DiagnosticDescriptor descriptor, ParsedDocument document, int start, int length, params string[] arguments)
        => Add(descriptor, Locate(document, start, length), arguments);

    public void At(DiagnosticDescriptor descriptor, Located place, params string[] arguments)
        => At(descriptor, place.Document, place.Node.Start, place.Node.Length, arguments);

    public EquatableArray<DiagnosticInfo> ToArray() => new(_items);

    public static LocationInfo Locate(ParsedDocument document, int start, int length)
    {
        // Point at the first line of a value: a whole object spanning pages is a poor squiggle.
        var (line, column) = document.Lines.GetPosition(start);
        var end = start + length;
        var lineEnd = document.Text.IndexOf('\n', start);
        if (lineEnd >= 0 && lineEnd < end)
        {
            end = lineEnd;
        }

        var (endLine, endColumn) = document.Lines.GetPosition(end);
        return new LocationInfo(document.Path, start, end - start, line, column, endLine, endColumn);
    }
}
