using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Conduit.Generators.Emit;

/// <summary>
/// A small indented writer for emitted C#: four spaces per level, '\n' line ends on every platform so
/// output is byte-for-byte the same everywhere, and blocks that close themselves. One writer serves a
/// whole client: <see cref="Start"/> begins the next file in the same buffer, so writing thousands of
/// files allocates little beyond the files' text.
/// </summary>
internal sealed class SourceWriter
{
    private readonly Buffer _text = new();
    private int _depth;

    /// <summary>Forgets the previous file and starts a new one.</summary>
    public SourceWriter Start()
    {
        _text.Clear();
        _depth = 0;
        return this;
    }

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _depth * 4).Append(text);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes an interpolated line straight into the buffer, with no intermediate string.</summary>
    public SourceWriter Line([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        _text.Append('\n');
        return this;
    }

    /// <summary>Like <see cref="Open(string)"/>, for an interpolated header.</summary>
    public Block Open([InterpolatedStringHandlerArgument("")] ref LineHandler header)
    {
        _text.Append('\n');
        Line("{");
        _depth++;
        return new Block(this, "}");
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned block is disposed.</summary>
    public Block Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
        return new Block(this, "}");
    }

    /// <summary>Like <see cref="Open(string)"/>, closing with <paramref name="closing"/> (such as "};").</summary>
    public Block Open(string header, string closing)
    {
        Line(header);
        Line("{");
        _depth++;
        return new Block(this, closing);
    }

    public override string ToString() => _text.ToString();

    /// <summary>A growable character buffer, reused from file to file.</summary>
    private sealed class Buffer
    {
        private char[] _chars = new char[16 * 1024];
        private int _length;

        public void Clear() => _length = 0;

        public Buffer Append(string? value)
        {
            if (value is not null)
            {
                Reserve(value.Length);
                value.CopyTo(0, _chars, _length, value.Length);
                _length += value.Length;
            }

            return this;
        }

        public Buffer Append(char value)
        {
            Reserve(1);
            _chars[_length++] = value;
            return this;
        }

        public Buffer Append(char value, int count)
        {
            Reserve(count);
            for (var i = 0; i < count; i++)
            {
                _chars[_length++] = value;
            }

            return this;
        }

        public override string ToString() => new(_chars, 0, _length);

        private void Reserve(int extra)
        {
            if (_length + extra > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + extra));
            }
        }
    }

    /// <summary>Appends an interpolated line's parts to the writer as they come (after the indentation).</summary>
    [InterpolatedStringHandler]
    internal readonly struct LineHandler
    {
        private readonly Buffer _text;

        public LineHandler(int literalLength, int formattedCount, SourceWriter writer)
        {
            _text = writer._text;
            _text.Append(' ', writer._depth * 4);
        }

        public void AppendLiteral(string value) => _text.Append(value);

        public void AppendFormatted(string? value) => _text.Append(value);

        public void AppendFormatted(int value) => _text.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    internal readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        public Block(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._depth--;
            _writer.Line(_closing);
        }
    }
}
