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
/// <remarks>
/// YAML nodes are complete when created. JSON nodes are views of a <see cref="TokenTable"/> token: the value is
/// decoded, and the child nodes and <see cref="Property"/> objects are created, on first use, then kept, so each
/// value of the document is always the same node. Threads racing to create one publish a single instance.
/// </remarks>
internal sealed class Node
{
    /// <summary>Objects with more members than this get a dictionary on their second lookup.</summary>
    private const int LinearLookupLimit = 8;

    // For JSON nodes; null for YAML nodes.
    private readonly TokenTable? _tokens;
    private readonly int _token;

    private string? _value;

    // Arrays: the items. JSON objects: the values of the members, in the order of Properties. In a JSON node,
    // a slot stays null until its node is first needed, and the array itself until a child is.
    private Node?[]? _children;
    private volatile bool _childrenComplete;

    private Property[]? _properties;
    private Dictionary<string, Node>? _lookup;
    private int _lookupCount;

    private Node(NodeKind kind, int start, int length, string? value, Node[] children, Property[] properties)
    {
        Kind = kind;
        Start = start;
        Length = length;
        _value = value;
        _children = children;
        _childrenComplete = true;
        _properties = properties;
    }

    private Node(TokenTable tokens, int token)
    {
        _tokens = tokens;
        _token = token;
        Kind = tokens.Kind(token);
        Start = tokens.Start(token);
        Length = tokens.Length(token);
    }

    public NodeKind Kind { get; }

    /// <summary>Offset (in chars) of the value's first char in the document text.</summary>
    public int Start { get; }

    /// <summary>Length in chars of the value's source text; for JSON containers, through the closing bracket.</summary>
    public int Length { get; }

    public int End => Start + Length;

    /// <summary>String: the unescaped value. Number: the number as written. Boolean: "true" or "false". Otherwise null.</summary>
    public string? Value => _value ?? (_tokens is null ? null : _value = _tokens.GetValue(_token));

    /// <summary>Array items; empty for every other kind.</summary>
    public IReadOnlyList<Node> Items => Kind == NodeKind.Array ? AllChildren() : Array.Empty<Node>();

    /// <summary>Object members in document order, each name once; empty for every other kind.</summary>
    public IReadOnlyList<Property> Properties =>
        _properties ?? (Kind == NodeKind.Object ? Publish(ref _properties, CreateProperties()) : Array.Empty<Property>());

    public bool IsTrue => Kind == NodeKind.Boolean && Value == "true";

    /// <summary>The value of the object member called <paramref name="name"/>; null if absent or this is not an object.</summary>
    public Node? this[string name]
    {
        get
        {
            if (Kind != NodeKind.Object)
            {
                return null;
            }

            if (_lookup is null && MemberCount > LinearLookupLimit && Interlocked.Increment(ref _lookupCount) > 1)
            {
                Publish(ref _lookup, CreateLookup());
            }

            if (_lookup is { } lookup)
            {
                return lookup.TryGetValue(name, out var value) ? value : null;
            }

            return _tokens is null ? FindProperty(name) : FindMember(name);
        }
    }

    private int MemberCount => _tokens is null ? _properties!.Length : Children().Length;

    public static Node CreateScalar(NodeKind kind, int start, int length, string? value) =>
        new(kind, start, length, value, Array.Empty<Node>(), Array.Empty<Property>());

    public static Node CreateArray(int start, int length, Node[] items) =>
        new(NodeKind.Array, start, length, null, items, Array.Empty<Property>());

    /// <summary>An object; <paramref name="properties"/> have distinct names (see <see cref="ChildBuffer"/>).</summary>
    public static Node CreateObject(int start, int length, Property[] properties) =>
        new(NodeKind.Object, start, length, null, Array.Empty<Node>(), properties);

    /// <summary>The node of a JSON document's root value, its first token.</summary>
    public static Node CreateRoot(TokenTable tokens) => new(tokens, 0);

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

    /// <summary>Stores <paramref name="value"/> in <paramref name="field"/> unless another thread stored one first; returns the stored one.</summary>
    private static T Publish<T>(ref T? field, T value)
        where T : class =>
        Interlocked.CompareExchange(ref field, value, null) ?? value;

    /// <summary>The child slots of a JSON container (see <see cref="_children"/>), one per live member or item.</summary>
    private Node?[] Children() => _children ?? Publish(ref _children, new Node?[_tokens!.CountChildren(_token)]);

    /// <summary>The node of the JSON child in <paramref name="slot"/>, whose token is <paramref name="token"/>.</summary>
    private Node Child(Node?[] children, int slot, int token)
    {
        if (children[slot] is { } child)
        {
            return child;
        }

        var created = new Node(_tokens!, token);
        return Interlocked.CompareExchange(ref children[slot], created, null) ?? created;
    }

    /// <summary>The children with every slot filled.</summary>
    private Node[] AllChildren()
    {
        var children = Children();
        if (!_childrenComplete)
        {
            var slot = 0;
            foreach (var child in _tokens!.Children(_token))
            {
                // An object's child is its member's name token; the value's token follows it.
                Child(children, slot++, Kind == NodeKind.Object ? child + 1 : child);
            }

            _childrenComplete = true;
        }

        return children!;
    }

    /// <summary>The Property objects of a JSON object (a YAML object has them from the start).</summary>
    private Property[] CreateProperties()
    {
        var children = AllChildren();
        var properties = new Property[children.Length];
        var slot = 0;
        foreach (var name in _tokens!.Children(_token))
        {
            properties[slot] = new Property(_tokens, name, children[slot]);
            slot++;
        }

        return properties;
    }

    private Node? FindProperty(string name)
    {
        foreach (var property in _properties!)
        {
            if (string.Equals(property.Name, name, StringComparison.Ordinal))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>Finds a JSON member by comparing the names' source text, so no name is decoded.</summary>
    private Node? FindMember(string name)
    {
        var slot = 0;
        foreach (var member in _tokens!.Children(_token))
        {
            if (_tokens.NameEquals(member, name))
            {
                return Child(Children(), slot, member + 1);
            }

            slot++;
        }

        return null;
    }

    private Dictionary<string, Node> CreateLookup()
    {
        var properties = Properties;
        var lookup = new Dictionary<string, Node>(properties.Count, StringComparer.Ordinal);
        foreach (var property in properties)
        {
            lookup.Add(property.Name, property.Value);
        }

        return lookup;
    }
}

/// <summary>An object member: its name, the span of the name's source text (with quotes, if any) and its value.</summary>
internal sealed class Property
{
    // For JSON members, whose name is decoded on first use; null for YAML members.
    private readonly TokenTable? _tokens;
    private readonly int _nameToken;
    private string? _name;

    public Property(string name, int nameStart, int nameLength, Node value)
    {
        _name = name;
        NameStart = nameStart;
        NameLength = nameLength;
        Value = value;
    }

    public Property(TokenTable tokens, int nameToken, Node value)
    {
        _tokens = tokens;
        _nameToken = nameToken;
        NameStart = tokens.Start(nameToken);
        NameLength = tokens.Length(nameToken);
        Value = value;
    }

    public string Name => _name ??= _tokens!.GetString(_nameToken);

    public int NameStart { get; }

    public int NameLength { get; }

    public Node Value { get; }

    public override string ToString() => $"{Name}: {Value}";
}

/// <summary>
/// Collects the children of the one array or object being read at a nesting level by <see cref="YamlTextReader"/>,
/// so it allocates only each container's final, exactly sized array. Drops an earlier member when a later one
/// has its name.
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
