using System;
using System.Collections.Generic;

namespace Conduit.Generators.Reading;

/// <summary>Turns char offsets into zero-based (line, column) positions. Line breaks are \n, \r\n and \r.</summary>
internal sealed class LineMap
{
    private readonly int[] _lineStarts;
    private readonly int _textLength;

    private LineMap(int[] lineStarts, int textLength)
    {
        _lineStarts = lineStarts;
        _textLength = textLength;
    }

    public static LineMap Create(string text)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                lineStarts.Add(i + 1);
            }
        }

        return new LineMap(lineStarts.ToArray(), text.Length);
    }

    /// <summary>The zero-based line and column (in chars) of <paramref name="offset"/>, clamped to the text.</summary>
    public (int Line, int Column) GetPosition(int offset)
    {
        offset = Math.Max(0, Math.Min(offset, _textLength));
        var index = Array.BinarySearch(_lineStarts, offset);

        // Not an exact line start: the complement is the next line's index, so the offset is on the one before.
        var line = index >= 0 ? index : ~index - 1;
        return (line, offset - _lineStarts[line]);
    }
}
