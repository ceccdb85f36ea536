using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace Conduit.Generators.Reading;

internal enum NodeKind
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// One value of a JSON or YAML document, with the span of its source text. Immutable once read, so it can be
/// shared between threads; YAML aliases share the instance of their anchor.
/// </summary>
internal sealed class Node
{
    /// <summary>Objects with more members than this get a dictionary on their first lookup.</summary>
    private const int LinearLookupLimit = 8;

    private readonly Node[] _items;
    private readonly Property[] _properties;
    private Dictionary<string, Node>? _lookup;

    private Node(NodeKind kind, int start, int length, string? value, Node[] items, Property[] properties)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Value = value;
        _items = items;
        _properties = properties;
    }

    public NodeKind Kind { get; }

    /// <summary>Offset (in chars) of the value's first char in the document text.</summary>
    public int Start { get; }

    /// <summary>Length in chars of the value's source text; for JSON containers, through the closing bracket.</summary>
    public int Length { get; }

    public int End => Start + Length;

    /// <summary>String: the unescaped value. Number: the number as written. Boolean: "true" or "false". Otherwise null.</summary>
    public string? Value { get; }

    /// <summary>Array items; empty for every other kind.</summary>
    public IReadOnlyList<Node> Items => _items;

    /// <summary>Object members in document order, each name once; empty for every other kind.</summary>
    public IReadOnlyList<Property> Properties => _properties;

    public bool IsTrue => Kind == NodeKind.Boolean && Value == "true";

    /// <summary>The value of the object member called <paramref name="name"/>; null if absent or this is not an object.</summary>
    public Node? this[string name]
    {
        get
        {
            if (_properties.Length <= LinearLookupLimit)
            {
                foreach (var property in _properties)
                {
                    if (string.Equals(property.Name, name, StringComparison.Ordinal))
                    {
                        return property.Value;
                    }
                }

                return null;
            }

            return (_lookup ?? CreateLookup()).TryGetValue(name, out var value) ? value : null;
        }
    }

    public static Node CreateScalar(NodeKind kind, int start, int length, string? value) =>
        new(kind, start, length, value, Array.Empty<Node>(), Array.Empty<Property>());

    public static Node CreateArray(int start, int length, Node[] items) =>
        new(NodeKind.Array, start, length, null, items, Array.Empty<Property>());

    /// <summary>An object; <paramref name="properties"/> have distinct names (see <see cref="ChildBuffer"/>).</summary>
    public static Node CreateObject(int start, int length, Property[] properties) =>
        new(NodeKind.Object, start, length, null, Array.Empty<Node>(), properties);

    /// <summary>Reads a Number written as an integer ("15", "-3"); false for fractions and exponents ("1.0", "1e3").</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return Kind == NodeKind.Number
            && long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public bool TryGetDouble(out double value)
    {
        value = 0;
        return Kind == NodeKind.Number
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public override string ToString() => $"{Kind} [{Start}..{End}) {Value}";

    private Dictionary<string, Node> CreateLookup()
    {
        var lookup = new Dictionary<string, Node>(_properties.Length, StringComparer.Ordinal);
        foreach (var property in _properties)
        {
            lookup.Add(property.Name, property.Value);
        }

        // Threads racing here build equal dictionaries; publish one of them.
        return Interlocked.CompareExchange(ref _lookup, lookup, null) ?? lookup;
    }
}

/// <summary>An object member: its name, the span of the name's source text (with quotes, if any) and its value.</summary>
internal sealed class Property
{
    public Property(string name, int nameStart, int nameLength, Node value)
    {
        Name = name;
        NameStart = nameStart;
        NameLength = nameLength;
        Value = value;
    }

    public string Name { get; }

    public int NameStart { get; }

    public int NameLength { get; }

    public Node Value { get; }

    public override string ToString() => $"{Name}: {Value}";
}

/// <summary>
/// Collects the children of the one array or object being read at a nesting level, so the readers allocate
/// only each container's final, exactly sized array. Drops an earlier member when a later one has its name.
/// </summary>
internal sealed class ChildBuffer
{
    /// <summary>Up to this many members, duplicate names are found by a linear scan instead of a dictionary.</summary>
    private const int LinearScanLimit = 8;

    private Node[] _items = new Node[8];
    private int _itemCount;

    // A slot is null once a later member with the same name replaced it.
    private Property?[] _properties = new Property?[8];
    private int _propertyCount;
    private int _replacedCount;

    // Slots by member name; kept only while the object has more than LinearScanLimit members.
    private readonly Dictionary<string, int> _slotsByName = new(StringComparer.Ordinal);
    private bool _indexed;

    public void Clear()
    {
        _itemCount = 0;
        _propertyCount = 0;
        _replacedCount = 0;
        if (_indexed)
        {
            _slotsByName.Clear();
            _indexed = false;
        }
    }

    public void AddItem(Node item)
    {
        if (_itemCount == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_itemCount++] = item;
    }

    /// <summary>Adds a member; returns false when it replaced an earlier member with the same name.</summary>
    public bool AddProperty(Property property)
    {
        var earlier = FindSlot(property.Name);
        if (earlier >= 0)
        {
            _properties[earlier] = null;
            _replacedCount++;
        }

        if (_propertyCount == _properties.Length)
        {
            Array.Resize(ref _properties, _properties.Length * 2);
        }

        _properties[_propertyCount] = property;
        _propertyCount++;
        if (_indexed)
        {
            _slotsByName[property.Name] = _propertyCount - 1;
        }
        else if (_propertyCount > LinearScanLimit)
        {
            IndexAllSlots();
        }

        return earlier < 0;
    }

    public Node[] ToItems()
    {
        if (_itemCount == 0)
        {
            return Array.Empty<Node>();
        }

        var items = new Node[_itemCount];
        Array.Copy(_items, items, _itemCount);
        return items;
    }

    public Property[] ToProperties()
    {
        var count = _propertyCount - _replacedCount;
        if (count == 0)
        {
            return Array.Empty<Property>();
        }

        var properties = new Property[count];
        var next = 0;
        for (var i = 0; i < _propertyCount; i++)
        {
            if (_properties[i] is { } property)
            {
                properties[next++] = property;
            }
        }

        return properties;
    }

    private int FindSlot(string name)
    {
        if (_indexed)
        {
            return _slotsByName.TryGetValue(name, out var slot) ? slot : -1;
        }

        for (var i = 0; i < _propertyCount; i++)
        {
            if (_properties[i] is { } property && string.Equals(property.Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void IndexAllSlots()
    {
        for (var i = 0; i < _propertyCount; i++)
        {
            if (_properties[i] is { } property)
            {
                _slotsByName[property.Name] = i;
            }
        }

        _indexed = true;
    }
}

/// <summary>One reusable <see cref="ChildBuffer"/> per nesting level, for a single read.</summary>
internal sealed class ChildBufferStack
{
    private readonly List<ChildBuffer> _levels = new();

    /// <summary>The cleared buffer for a container at <paramref name="depth"/>.</summary>
    public ChildBuffer Open(int depth)
    {
        while (_levels.Count <= depth)
        {
            _levels.Add(new ChildBuffer());
        }

        var buffer = _levels[depth];
        buffer.Clear();
        return buffer;
    }
}
