using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Numerics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Conduit.Generators.Reading;

/// <summary>
/// Reads YAML text into the same <see cref="Node"/> DOM as <see cref="JsonTextReader"/>, from YamlDotNet's
/// event stream. Plain scalars resolve by the YAML 1.2 core schema; an alias is the very node of its anchor.
/// Non-scalar keys, duplicate keys and extra documents are warnings; syntax errors are errors. Never throws.
/// </summary>
internal static class YamlTextReader
{
    public static ReadResult Read(string text) => new Builder(text).ReadDocument();

    /// <summary>Builds nodes from the parser's events, recursively; <see cref="JsonTextReader.MaxDepth"/> bounds the recursion.</summary>
    private sealed class Builder
    {
        private const char ByteOrderMark = '\uFEFF';
        private const string StringTag = "tag:yaml.org,2002:str";

        private readonly string _text;
        private readonly Parser _parser;

        /// <summary>Added to YamlDotNet's offsets: 1 when a byte order mark was skipped before the parser saw the text.</summary>
        private readonly int _offset;

        /// <summary>Nodes by anchor name; null while the anchored node is still being read.</summary>
        private readonly Dictionary<string, Node?> _anchors = new(StringComparer.Ordinal);

        private readonly ChildBufferStack _children = new();
        private ImmutableArray<TextProblem>.Builder? _problems;

        /// <summary>End offset of the last node read; where a block collection ends.</summary>
        private int _lastEnd;

        public Builder(string text)
        {
            _text = text;
            var reader = new StringReader(text);

            // YamlDotNet would read a byte order mark as part of the first scalar.
            if (text.Length > 0 && text[0] == ByteOrderMark)
            {
                reader.Read();
                _offset = 1;
            }

            _parser = new Parser(reader);
        }

        public ReadResult ReadDocument()
        {
            Node? root;
            try
            {
                root = ReadStream();
            }
            catch (YamlException e)
            {
                root = null;
                var start = Offset(e.Start);
                Report(ProblemSeverity.Error, $"Invalid YAML: {Sentence(e.Message)}. Correct the syntax here.", start, Math.Max(0, Offset(e.End) - start));
            }
            catch (Exception e)
            {
                // YamlDotNet throws other exceptions on some malformed input (": {\nd" gives InvalidOperationException), without a position.
                root = null;
                Report(ProblemSeverity.Error, $"Invalid YAML: the YAML parser stopped after this point ({Sentence(e.Message)}). Correct the syntax that follows.", _lastEnd, 0);
            }

            return new ReadResult(root, _problems?.ToImmutable() ?? ImmutableArray<TextProblem>.Empty);
        }

        /// <summary>Turns an exception message into a clause: first letter lowercase, no final period.</summary>
        private static string Sentence(string message)
        {
            message = message.Trim().TrimEnd('.');
            return message.Length == 0 ? "no details" : char.ToLowerInvariant(message[0]) + message.Substring(1);
        }

        /// <summary>Reads the stream's first document, and warns if another follows.</summary>
        private Node? ReadStream()
        {
            // Past StreamStart, onto the first DocumentStart, or StreamEnd if there is no document.
            _parser.MoveNext();
            _parser.MoveNext();
            if (_parser.Current is not DocumentStart)
            {
                Report(TextProblem.EmptyDocument(0, _text.Length));
                return null;
            }

            _parser.MoveNext();
            var root = ReadNode(depth: 0);
            if (root is null)
            {
                return null;
            }

            // Past DocumentEnd, onto StreamEnd or the next DocumentStart.
            _parser.MoveNext();
            if (_parser.Current is DocumentStart next)
            {
                Report(ProblemSeverity.Warning, "The stream holds more than one document: only the first is read. Remove the others or move them to their own files.", Offset(next.Start), Length(next));
            }

            return root;
        }

        /// <summary>Reads the node whose first event is current, leaving the parser on the event after it.</summary>
        private Node? ReadNode(int depth) => _parser.Current switch
        {
            Scalar scalar => ReadScalar(scalar),
            AnchorAlias alias => ReadAlias(alias),
            SequenceStart sequence => ReadCollection(sequence, sequence.Style == SequenceStyle.Flow, ']', depth + 1),
            MappingStart mapping => ReadCollection(mapping, mapping.Style == MappingStyle.Flow, '}', depth + 1),
            var other => Fail($"Unexpected YAML event {other?.GetType().Name} where a value belongs: the document cannot be read.", _lastEnd, 0),
        };

        private Node ReadScalar(Scalar scalar)
        {
            var kind = NodeKind.String;
            var value = scalar.Value;

            // Only untagged plain scalars resolve by the core schema; quoted, block and tagged ones stay strings.
            if (scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty)
            {
                kind = CoreSchema.Resolve(ref value);
            }

            var node = Node.CreateScalar(kind, Offset(scalar.Start), Length(scalar), value);
            _parser.MoveNext();
            return Complete(scalar, node);
        }

        private Node? ReadAlias(AnchorAlias alias)
        {
            var name = alias.Value.Value;
            if (!_anchors.TryGetValue(name, out var node))
            {
                return Fail($"Unknown alias '*{name}': define the anchor '&{name}' before the alias.", Offset(alias.Start), Length(alias));
            }

            if (node is null)
            {
                return Fail($"Alias '*{name}' is inside the node it refers to: recursive structures cannot be read. Copy the content instead.", Offset(alias.Start), Length(alias));
            }

            _parser.MoveNext();
            _lastEnd = Offset(alias.End);
            return node;
        }

        /// <summary>Reads a sequence or mapping, from its start event through its end event.</summary>
        private Node? ReadCollection(NodeEvent startEvent, bool isFlow, char close, int depth)
        {
            var start = Offset(startEvent.Start);
            if (depth > JsonTextReader.MaxDepth)
            {
                return Fail(TextProblem.TooDeep(start, Math.Max(1, Length(startEvent))));
            }

            // Registered before the content, so an alias inside it is recognized as recursive.
            if (!startEvent.Anchor.IsEmpty)
            {
                _anchors[startEvent.Anchor.Value] = null;
            }

            var isMapping = startEvent is MappingStart;
            var children = _children.Open(depth);
            _parser.MoveNext();
            while (_parser.Current is not (SequenceEnd or MappingEnd))
            {
                var added = isMapping ? ReadPair(depth, children) : ReadItem(depth, children);
                if (!added)
                {
                    return null;
                }
            }

            var end = CollectionEnd(_parser.Current, isFlow, close);
            var node = isMapping
                ? Node.CreateObject(start, end - start, children.ToProperties())
                : Node.CreateArray(start, end - start, children.ToItems());
            _parser.MoveNext();
            return Complete(startEvent, node);
        }

        /// <summary>
        /// A flow collection ends after its closing bracket (YamlDotNet marks the end event at the bracket);
        /// a block collection ends where its last node ends, so trailing blank lines and comments are left out.
        /// </summary>
        private int CollectionEnd(ParsingEvent endEvent, bool isFlow, char close)
        {
            var bracket = Offset(endEvent.Start);
            if (!isFlow)
            {
                return _lastEnd;
            }

            return bracket < _text.Length && _text[bracket] == close ? bracket + 1 : bracket;
        }

        private bool ReadItem(int depth, ChildBuffer children)
        {
            var item = ReadNode(depth);
            if (item is null)
            {
                return false;
            }

            children.AddItem(item);
            return true;
        }

        /// <summary>Reads one key: value pair. The key's text becomes the member name; a non-scalar key drops the pair.</summary>
        private bool ReadPair(int depth, ChildBuffer children)
        {
            var keyEvent = _parser.Current;
            var key = ReadNode(depth);
            var value = key is null ? null : ReadNode(depth);
            if (key is null || value is null)
            {
                return false;
            }

            // A scalar or alias key spans its own event; a collection key, the whole collection.
            var isCollectionKey = keyEvent is SequenceStart or MappingStart;
            var nameStart = isCollectionKey ? key.Start : Offset(keyEvent!.Start);
            var nameLength = isCollectionKey ? key.Length : Length(keyEvent!);
            if (key.Kind is NodeKind.Array or NodeKind.Object)
            {
                Report(ProblemSeverity.Warning, "Mapping key is not a scalar: OpenAPI keys are strings. The pair is skipped.", nameStart, nameLength);
                return true;
            }

            // The name is the key as written ("0x1F", "~"); an alias key has no text of its own, so it takes its node's value.
            var name = keyEvent is Scalar scalar ? scalar.Value : key.Value ?? "null";
            if (!children.AddProperty(new Property(name, nameStart, nameLength, value)))
            {
                Report(TextProblem.DuplicateKey(name, nameStart, nameLength));
            }

            return true;
        }

        /// <summary>Records the end of a node just read and registers it under its anchor, if any.</summary>
        private Node Complete(NodeEvent nodeEvent, Node node)
        {
            _lastEnd = node.End;
            if (!nodeEvent.Anchor.IsEmpty)
            {
                _anchors[nodeEvent.Anchor.Value] = node;
            }

            return node;
        }

        private int Offset(Mark mark) => (int)Math.Min(mark.Index + _offset, _text.Length);

        private int Length(ParsingEvent parsingEvent) => Offset(parsingEvent.End) - Offset(parsingEvent.Start);

        private void Report(TextProblem problem) =>
            (_problems ??= ImmutableArray.CreateBuilder<TextProblem>()).Add(problem);

        private void Report(ProblemSeverity severity, string message, int start, int length) =>
            Report(new TextProblem(severity, message, start, length));

        /// <summary>Reports an error and returns null, the value that makes every caller stop.</summary>
        private Node? Fail(string message, int start, int length) =>
            Fail(new TextProblem(ProblemSeverity.Error, message, start, length));

        private Node? Fail(TextProblem problem)
        {
            Report(problem);
            return null;
        }
    }

    /// <summary>The YAML 1.2 core schema's resolution of plain scalars.</summary>
    private static class CoreSchema
    {
        /// <summary>The kind of a plain scalar; normalizes <paramref name="value"/> for Null (null), Boolean and hex or octal Numbers.</summary>
        public static NodeKind Resolve(ref string? value)
        {
            switch (value)
            {
                case null or "" or "~" or "null" or "Null" or "NULL":
                    value = null;
                    return NodeKind.Null;
                case "true" or "True" or "TRUE":
                    value = "true";
                    return NodeKind.Boolean;
                case "false" or "False" or "FALSE":
                    value = "false";
                    return NodeKind.Boolean;
            }

            if (IsDecimalNumber(value))
            {
                return NodeKind.Number;
            }

            if (TryParseRadix(value, out var number))
            {
                value = number.ToString(CultureInfo.InvariantCulture);
                return NodeKind.Number;
            }

            // Everything else, including .inf and .nan, stays a string.
            return NodeKind.String;
        }

        /// <summary>Matches [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?, which covers core-schema ints and floats.</summary>
        private static bool IsDecimalNumber(string text)
        {
            var i = 0;
            if (text[i] is '-' or '+')
            {
                i++;
            }

            var integerDigits = CountDigits(text, ref i);
            var fractionDigits = 0;
            if (i < text.Length && text[i] == '.')
            {
                i++;
                fractionDigits = CountDigits(text, ref i);
            }

            if (integerDigits == 0 && fractionDigits == 0)
            {
                return false;
            }

            if (i < text.Length && text[i] is 'e' or 'E')
            {
                i++;
                if (i < text.Length && text[i] is '-' or '+')
                {
                    i++;
                }

                if (CountDigits(text, ref i) == 0)
                {
                    return false;
                }
            }

            return i == text.Length;
        }

        private static int CountDigits(string text, ref int i)
        {
            var start = i;
            while (i < text.Length && text[i] is >= '0' and <= '9')
            {
                i++;
            }

            return i - start;
        }

        /// <summary>Parses 0x[0-9a-fA-F]+ and 0o[0-7]+, of any size.</summary>
        private static bool TryParseRadix(string text, out BigInteger number)
        {
            number = BigInteger.Zero;
            var radix = text.StartsWith("0x", StringComparison.Ordinal) ? 16
                : text.StartsWith("0o", StringComparison.Ordinal) ? 8
                : 0;
            if (radix == 0 || text.Length == 2)
            {
                return false;
            }

            for (var i = 2; i < text.Length; i++)
            {
                var digit = JsonTextReader.HexDigitValue(text[i]);
                if (digit < 0 || digit >= radix)
                {
                    return false;
                }

                number = (number * radix) + digit;
            }

            return true;
        }
    }
}
