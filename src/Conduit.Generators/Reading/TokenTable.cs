using System;
using System.Collections.Generic;
using System.Text;

namespace Conduit.Generators.Reading;

/// <summary>
/// The values of a JSON document as a flat table of tokens in document order, written by
/// <see cref="JsonTextReader"/> and read by the <see cref="Node"/>s it creates on demand. A container's token
/// is followed by its children's tokens; an object member is a name token (a String) followed by the value's
/// tokens. Strings are kept as spans of the text and decoded only when asked for. Unchanged once read, so it
/// can be shared between threads.
/// </summary>
internal sealed class TokenTable
{
    // Tokens are stored in fixed-size chunks, so the table grows without copying and stays off the large object heap.
    private const int ChunkShift = 13;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    // A token's kind byte holds its NodeKind in the low bits and these flags above them.
    private const byte KindMask = 0x0F;
    private const byte EscapesFlag = 0x10;
    private const byte ReplacedFlag = 0x20;

    private readonly StringCache _strings = new();
    private Chunk[] _chunks = new Chunk[16];

    public TokenTable(string text)
    {
        Text = text;
        NameComparer = new NameEqualityComparer(this);
    }

    public string Text { get; }

    public int Count { get; private set; }

    /// <summary>Compares name tokens by their decoded names.</summary>
    public IEqualityComparer<int> NameComparer { get; }

    /// <summary>Appends a token; a container's length and extent are set by <see cref="Close"/> once its children are read.</summary>
    public int Add(NodeKind kind, int start, int length, bool hasEscapes = false)
    {
        var token = Count;
        if ((token & ChunkMask) == 0)
        {
            AddChunk();
        }

        var chunk = _chunks[token >> ChunkShift];
        var slot = token & ChunkMask;
        chunk.Kinds[slot] = (byte)((byte)kind | (hasEscapes ? EscapesFlag : 0));
        chunk.Starts[slot] = start;
        chunk.Lengths[slot] = length;
        Count++;
        return token;
    }

    /// <summary>Ends the container <paramref name="token"/>: its children are the tokens added since it.</summary>
    public void Close(int token, int length)
    {
        var chunk = _chunks[token >> ChunkShift];
        chunk.Lengths[token & ChunkMask] = length;
        chunk.Ends[token & ChunkMask] = Count;
    }

    /// <summary>Drops the member named by <paramref name="nameToken"/>, which a later member with the same name replaced.</summary>
    public void MarkReplaced(int nameToken) => _chunks[nameToken >> ChunkShift].Kinds[nameToken & ChunkMask] |= ReplacedFlag;

    public NodeKind Kind(int token) => (NodeKind)(KindByte(token) & KindMask);

    public int Start(int token) => _chunks[token >> ChunkShift].Starts[token & ChunkMask];

    public int Length(int token) => _chunks[token >> ChunkShift].Lengths[token & ChunkMask];

    /// <summary>The token after <paramref name="token"/> and all its descendants.</summary>
    public int NextSibling(int token) =>
        Kind(token) is NodeKind.Array or NodeKind.Object ? _chunks[token >> ChunkShift].Ends[token & ChunkMask] : token + 1;

    /// <summary>The live children of a container: an array's items, or the name tokens of an object's members that were not replaced.</summary>
    public ChildEnumerator Children(int container) => new(this, container);

    public int CountChildren(int container)
    {
        var count = 0;
        var children = Children(container);
        while (children.MoveNext())
        {
            count++;
        }

        return count;
    }

    /// <summary>What <see cref="Node.Value"/> is for the token: a String decoded, a Number or Boolean as written, else null.</summary>
    public string? GetValue(int token) => Kind(token) switch
    {
        NodeKind.String => GetString(token),
        NodeKind.Number => Text.Substring(Start(token), Length(token)),
        NodeKind.Boolean => Text[Start(token)] == 't' ? "true" : "false",
        _ => null,
    };

    /// <summary>The decoded value of a string token (a value or a member name).</summary>
    public string GetString(int token)
    {
        var start = Start(token) + 1;
        var length = Length(token) - 2;
        return HasEscapes(token) ? Unescape(start, start + length) : _strings.Get(Text, start, length);
    }

    /// <summary>Whether the name token decodes to <paramref name="name"/>; allocates only if the name has escapes.</summary>
    public bool NameEquals(int nameToken, string name)
    {
        if (HasEscapes(nameToken))
        {
            return string.Equals(GetString(nameToken), name, StringComparison.Ordinal);
        }

        var length = Length(nameToken) - 2;
        return length == name.Length && string.CompareOrdinal(Text, Start(nameToken) + 1, name, 0, length) == 0;
    }

    /// <summary>Whether two name tokens decode to the same name; allocates only if one has escapes.</summary>
    public bool NamesEqual(int x, int y)
    {
        if (HasEscapes(x) || HasEscapes(y))
        {
            return string.Equals(GetString(x), GetString(y), StringComparison.Ordinal);
        }

        var length = Length(x);
        return length == Length(y) && string.CompareOrdinal(Text, Start(x), Text, Start(y), length) == 0;
    }

    private byte KindByte(int token) => _chunks[token >> ChunkShift].Kinds[token & ChunkMask];

    private bool HasEscapes(int token) => (KindByte(token) & EscapesFlag) != 0;

    private bool IsReplaced(int token) => (KindByte(token) & ReplacedFlag) != 0;

    private void AddChunk()
    {
        var index = Count >> ChunkShift;
        if (index == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        _chunks[index] = new Chunk();
    }

    /// <summary>Decodes the chars from <paramref name="start"/> to <paramref name="end"/>, whose escapes the reader validated.</summary>
    private string Unescape(int start, int end)
    {
        var value = new StringBuilder(end - start);
        var i = start;
        while (i < end)
        {
            var backslash = Text.IndexOf('\\', i, end - i);
            if (backslash < 0)
            {
                value.Append(Text, i, end - i);
                break;
            }

            value.Append(Text, i, backslash - i);
            i = AppendEscape(value, backslash);
        }

        return value.ToString();
    }

    /// <summary>
    /// Appends the char of the escape at <paramref name="backslash"/> and returns the offset after it. Each \u
    /// escape is one UTF-16 unit, so surrogate pairs written as two escapes combine and a lone surrogate is kept.
    /// </summary>
    private int AppendEscape(StringBuilder value, int backslash)
    {
        var marker = Text[backslash + 1];
        if (marker == 'u')
        {
            var end = JsonTextReader.ReadHexEscape(Text, backslash, out var code);
            value.Append(code);
            return end;
        }

        value.Append((char)JsonTextReader.SimpleEscape(marker));
        return backslash + 2;
    }

    /// <summary>The hash of a name's decoded chars, consistent with <see cref="NamesEqual"/>.</summary>
    private int NameHash(int nameToken)
    {
        if (HasEscapes(nameToken))
        {
            var name = GetString(nameToken);
            return Hash(name, 0, name.Length);
        }

        return Hash(Text, Start(nameToken) + 1, Length(nameToken) - 2);
    }

    private static int Hash(string text, int start, int length)
    {
        var hash = length;
        for (var i = start; i < start + length; i++)
        {
            hash = (hash * 31) + text[i];
        }

        return hash;
    }

    private sealed class Chunk
    {
        public readonly byte[] Kinds = new byte[ChunkSize];
        public readonly int[] Starts = new int[ChunkSize];

        /// <summary>Length in chars of the token's text; for containers, through the closing bracket.</summary>
        public readonly int[] Lengths = new int[ChunkSize];

        /// <summary>Containers only: the token after the last descendant.</summary>
        public readonly int[] Ends = new int[ChunkSize];
    }

    /// <summary>Enumerates <see cref="Children"/> without allocating.</summary>
    internal struct ChildEnumerator
    {
        private readonly TokenTable _table;
        private readonly int _end;
        private readonly bool _isObject;
        private int _next;

        public ChildEnumerator(TokenTable table, int container)
        {
            _table = table;
            _end = table.NextSibling(container);
            _isObject = table.Kind(container) == NodeKind.Object;
            _next = container + 1;
            Current = -1;
        }

        public int Current { get; private set; }

        public readonly ChildEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_next < _end)
            {
                Current = _next;

                // A member is its name token and then its value's tokens.
                _next = _table.NextSibling(_isObject ? Current + 1 : Current);
                if (!_table.IsReplaced(Current))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class NameEqualityComparer : IEqualityComparer<int>
    {
        private readonly TokenTable _table;

        public NameEqualityComparer(TokenTable table)
        {
            _table = table;
        }

        public bool Equals(int x, int y) => _table.NamesEqual(x, y);

        public int GetHashCode(int obj) => _table.NameHash(obj);
    }

    /// <summary>
    /// Shares the string instances of short, repeated strings ("type", "description", "string"): a direct-mapped
    /// cache keyed by a hash of the chars, where a collision simply replaces the entry. Safe to share between
    /// threads: an entry is read once into a local, and a lost race only replaces an entry.
    /// </summary>
    private sealed class StringCache
    {
        private const int MaxLength = 32;
        private const int Size = 2048; // a power of two, so the hash is masked into a slot

        private readonly string?[] _entries = new string?[Size];

        public string Get(string text, int start, int length)
        {
            if (length > MaxLength)
            {
                return text.Substring(start, length);
            }

            var slot = Hash(text, start, length) & (Size - 1);
            var entry = _entries[slot];
            if (entry is not null && entry.Length == length && string.CompareOrdinal(entry, 0, text, start, length) == 0)
            {
                return entry;
            }

            entry = text.Substring(start, length);
            _entries[slot] = entry;
            return entry;
        }
    }
}
