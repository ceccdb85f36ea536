using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Conduit.Fuzz.Fuzzing;

/// <summary>
/// A deterministic mutation fuzzer over valid documents. Mutant <c>i</c> of session seed <c>s</c> depends only on
/// <c>(s, i)</c>, so any mutant can be made again from the two numbers a failure prints. Each mutant gets one to
/// three mutations: structural ones on the parsed tree (type swaps, deep nesting, huge strings and arrays,
/// dangling and cyclic <c>$ref</c>s, duplicate keys, hostile names, extreme numbers), then text ones
/// (truncation, deleted or repeated spans, stray tokens, invalid UTF-8, lone surrogates).
/// </summary>
public static class Mutator
{
    /// <summary>Text that tries to break out of a string literal, a comment or a documentation element of the generated code.</summary>
    public static readonly string[] HostileTexts =
    {
        "*/ class Evil { } /*", "\"\"\" + Evil + \"\"\"", "</summary><summary>Evil", "\n#error Evil\n", "\n#pragma warning disable\n",
        "\\u0065vil", "Evil\u202Eliv\u202C", "\u2066Evil\u2069", "global::Evil", "a\r\nb\u2028c\u2029d\u0085e", "\0", "\uFEFFbom",
        "\"); System.Environment.Exit(1); (\"", "{0}{1}", "@class", "__M", "JsonConverter", "Value", "default", "\ud800", "\udfff\ud800",
        "<![CDATA[x]]>", "&amp;&#0;", "//", "/*", "#line 1 \"evil.cs\"", "\t\v\f", "e\u0301", "\u0660\u0661", "𝔈𝔳𝔦𝔩",
    };

    private static readonly string[] Tokens =
    {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\u12", "\0", "\uFFFF", "&a ", "*a ", "!!binary ", "%YAML 1.1\n",
        "\n---\n", "\t", "\r", "? ", "- ", "|", ">", "#", "/*", "//", "'", "\n  ", "\n", "@", "`", "\uFEFF", "null", "-", "1e999", "0x",
    };

    private static readonly string[] DanglingReferences =
    {
        "#/components/schemas/Missing", "#/definitions/Missing", "#/nope/~1x~2", "missing.json#/a", "#", "", "#/paths",
        "http://example.com/x.json", "%%%", "#/components/schemas/../../..", "#/components/schemas/", "#/components/schemas/a~",
        "schemas/thing.schema.json#/definitions/missing", "//", "#/info/title", "#/paths/~1a/get/responses",
    };

    private static readonly string[] ExtremeNumbers =
    {
        "1e999", "-1e999", "-0", "123456789012345678901234567890", "0.000000000000000000000000001", "-1", "0", "2147483648", "1.5e300", "4.9e-324",
    };

    private enum Kind
    {
        TypeSwap,
        Delete,
        DeepNest,
        HugeString,
        HugeArray,
        DanglingRef,
        CyclicRef,
        DuplicateKey,
        CopySubtree,
        HostileString,
        ExtremeNumber,
        Truncate,
        DeleteSpan,
        DuplicateSpan,
        InsertToken,
        InvalidUtf8,
        LoneSurrogate,
    }

    /// <summary>Mutant <paramref name="index"/> of the session <paramref name="sessionSeed"/>, from one of <paramref name="seeds"/>.</summary>
    public static Mutant Create(IReadOnlyList<Seed> seeds, int sessionSeed, int index)
    {
        var random = new Random(unchecked((sessionSeed * 1_000_003) ^ (index * 7919) ^ index));
        var seed = seeds[random.Next(seeds.Count)];
        var mutations = new List<string>();
        var count = 1 + random.Next(3);
        var kinds = Enumerable.Range(0, count).Select(_ => (Kind)random.Next((int)Kind.LoneSurrogate + 1)).OrderBy(k => k).ToList();

        var text = seed.Text;
        var structural = kinds.Where(k => k < Kind.Truncate).ToList();
        if (structural.Count > 0 && Parse(seed) is { } root)
        {
            var raw = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var kind in structural)
            {
                mutations.Add(Structural(kind, root, random, raw));
            }

            // A tree holding text no JSON writer accepts (a lone surrogate) keeps the seed's text.
            text = Serialize(root, raw) ?? text;
        }

        foreach (var kind in kinds.Where(k => k >= Kind.Truncate))
        {
            text = Textual(kind, text, random, out var description);
            mutations.Add(description);
        }

        return new Mutant(seed, sessionSeed, index, seed.Path, text, mutations);
    }

    // ---- Structural mutations ----

    private static string Structural(Kind kind, JsonNode root, Random random, Dictionary<string, string> raw)
    {
        var target = Pick(root, random);
        var at = target.GetPath();
        switch (kind)
        {
            case Kind.TypeSwap:
                var swapped = RandomScalarOrContainer(random);
                Replace(target, swapped);
                return $"type swap at {at} to {swapped?.ToJsonString() ?? "null"}";
            case Kind.Delete:
                if (target.Parent is JsonObject deleteFrom)
                {
                    deleteFrom.Remove(target.GetPropertyName());
                }
                else if (target.Parent is JsonArray items)
                {
                    items.Remove(target);
                }

                return $"delete {at}";
            case Kind.DeepNest:
                var depth = new[] { 64, 255, 256, 257, 1000, 10_000 }[random.Next(6)];
                var shape = random.Next(5);
                Replace(target, Placeholder(raw, Nested(shape, depth)));
                return $"deep nesting ({new[] { "arrays", "objects", "schema properties", "schema items", "allOf" }[shape]}, {depth} levels) at {at}";
            case Kind.HugeString:
                var length = random.Next(20) == 0 ? 1_000_000 : random.Next(2) == 0 ? 100_000 : 10_000;
                var unit = HostileTexts[random.Next(HostileTexts.Length)] + "x";
                var huge = new StringBuilder(length + unit.Length);
                while (huge.Length < length)
                {
                    huge.Append(unit);
                }

                Replace(target, JsonValue.Create(huge.ToString()));
                return $"huge string ({huge.Length} chars of {Escape(unit)}) at {at}";
            case Kind.HugeArray:
                var size = random.Next(10) == 0 ? 100_000 : random.Next(2) == 0 ? 10_000 : 1_000;
                var asEnum = random.Next(2) == 0;
                var array = new StringBuilder("[");
                for (var i = 0; i < size; i++)
                {
                    array.Append(i == 0 ? "" : ",").Append(asEnum ? "\"v" + i.ToString(CultureInfo.InvariantCulture) + "\"" : "{}");
                }

                array.Append(']');
                if (asEnum && target is JsonObject schema)
                {
                    schema["type"] = "string";
                    schema["enum"] = Placeholder(raw, array.ToString());
                    return $"enum of {size} values at {at}";
                }

                Replace(target, Placeholder(raw, array.ToString()));
                return $"array of {size} {(asEnum ? "strings" : "objects")} at {at}";
            case Kind.DanglingRef:
                var reference = DanglingReferences[random.Next(DanglingReferences.Length)];
                Replace(target, new JsonObject { ["$ref"] = reference });
                return $"dangling $ref '{reference}' at {at}";
            case Kind.CyclicRef:
                return Cycle(root, target, random);
            case Kind.DuplicateKey:
                if (Ancestor<JsonObject>(target) is { Count: > 0 } owner)
                {
                    var duplicate = owner.ElementAt(random.Next(owner.Count)).Key;
                    var key = "@@fuzz" + raw.Count.ToString(CultureInfo.InvariantCulture) + "@@";
                    raw[JsonSerializer.Serialize(key)] = JsonSerializer.Serialize(duplicate);
                    owner[key] = RandomScalarOrContainer(random);
                    return $"duplicate key '{duplicate}' in {owner.GetPath()}";
                }

                return "duplicate key: no object";
            case Kind.CopySubtree:
                var source = Pick(root, random);
                Replace(target, source.DeepClone());
                return $"copy {source.GetPath()} to {at}";
            case Kind.HostileString:
                var hostile = HostileTexts[random.Next(HostileTexts.Length)];
                if (target.Parent is JsonObject renameIn && random.Next(2) == 0)
                {
                    var name = target.GetPropertyName();
                    renameIn.Remove(name);
                    renameIn[hostile + name] = target;
                    return $"rename {at} to {Escape(hostile + name)}";
                }

                Replace(target, JsonValue.Create(hostile));
                return $"hostile string {Escape(hostile)} at {at}";
            default:
                var number = ExtremeNumbers[random.Next(ExtremeNumbers.Length)];
                Replace(target, Placeholder(raw, number));
                return $"number {number} at {at}";
        }
    }

    /// <summary>A cycle of <c>$ref</c>s: a schema that refers to itself, two that refer to each other, or a reference to an ancestor.</summary>
    private static string Cycle(JsonNode root, JsonNode target, Random random)
    {
        var schemas = (Member(Member(root, "components"), "schemas") ?? Member(root, "definitions")) as JsonObject;
        var prefix = Member(root, "definitions") is JsonObject ? "#/definitions/" : "#/components/schemas/";
        if (schemas is null || schemas.Count == 0)
        {
            Replace(target, new JsonObject { ["$ref"] = Pointer(target) });
            return $"self $ref at {target.GetPath()}";
        }

        var names = schemas.Select(p => p.Key).ToList();
        var a = names[random.Next(names.Count)];
        var b = names[random.Next(names.Count)];
        switch (random.Next(4))
        {
            case 0:
                schemas[a] = new JsonObject { ["$ref"] = prefix + Encode(a) };
                return $"schema '{a}' is a $ref to itself";
            case 1:
                schemas[a] = new JsonObject { ["$ref"] = prefix + Encode(b) };
                schemas[b] = new JsonObject { ["$ref"] = prefix + Encode(a) };
                return $"schemas '{a}' and '{b}' are $refs to each other";
            case 2:
                schemas[a] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = prefix + Encode(a) }) };
                return $"schema '{a}' is allOf itself";
            default:
                var ancestor = target.Parent ?? root;
                Replace(target, new JsonObject { ["$ref"] = Pointer(ancestor) });
                return $"$ref from {target.GetPath()} to its ancestor {Pointer(ancestor)}";
        }
    }

    private static string Nested(int shape, int depth)
    {
        var (open, leaf, close) = shape switch
        {
            0 => ("[", "1", "]"),
            1 => ("{\"a\":", "1", "}"),
            2 => ("{\"type\":\"object\",\"properties\":{\"p\":", "{\"type\":\"string\"}", "}}"),
            3 => ("{\"type\":\"array\",\"items\":", "{\"type\":\"string\"}", "}"),
            _ => ("{\"allOf\":[", "{\"type\":\"object\"}", "]}"),
        };
        var text = new StringBuilder(depth * (open.Length + close.Length) + leaf.Length);
        for (var i = 0; i < depth; i++)
        {
            text.Append(open);
        }

        text.Append(leaf);
        for (var i = 0; i < depth; i++)
        {
            text.Append(close);
        }

        return text.ToString();
    }

    private static JsonNode? RandomScalarOrContainer(Random random) => random.Next(7) switch
    {
        0 => JsonValue.Create("x"),
        1 => JsonValue.Create(42),
        2 => JsonValue.Create(true),
        3 => null,
        4 => new JsonArray(),
        5 => new JsonObject(),
        _ => new JsonArray(JsonValue.Create("a"), JsonValue.Create(1)),
    };

    /// <summary>A node, half the time from the schemas (where most of the generator's work is).</summary>
    private static JsonNode Pick(JsonNode root, Random random)
    {
        var from = random.Next(2) == 0 ? Member(Member(root, "components"), "schemas") ?? Member(root, "definitions") ?? root : root;
        var nodes = new List<JsonNode>();
        var pending = new Stack<JsonNode>();
        pending.Push(from);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            nodes.Add(node);
            IEnumerable<JsonNode?> children = node switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a,
                _ => Array.Empty<JsonNode?>(),
            };
            foreach (var child in children)
            {
                if (child is not null)
                {
                    pending.Push(child);
                }
            }
        }

        // Not the root itself, unless it is all there is.
        return nodes.Count > 1 ? nodes[1 + random.Next(nodes.Count - 1)] : nodes[0];
    }

    /// <summary>An object's member; null when absent or when an earlier mutation made the node something else.</summary>
    private static JsonNode? Member(JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var value) ? value : null;

    private static T? Ancestor<T>(JsonNode? node)
        where T : JsonNode
    {
        while (node is not null and not T)
        {
            node = node.Parent;
        }

        return node as T;
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = value;
                break;
            case JsonArray a:
                a[target.GetElementIndex()] = value;
                break;
        }
    }

    private static JsonNode Placeholder(Dictionary<string, string> raw, string text)
    {
        var key = "@@fuzz" + raw.Count.ToString(CultureInfo.InvariantCulture) + "@@";
        raw["\"" + key + "\""] = text;
        return JsonValue.Create(key);
    }

    /// <summary>The JSON pointer of a node: "$.a['b/c'][0]" becomes "#/a/b~1c/0".</summary>
    private static string Pointer(JsonNode node)
    {
        var parts = new List<string>();
        for (var n = node; n.Parent is { } parent; n = parent)
        {
            parts.Add(parent is JsonObject ? Encode(n.GetPropertyName()) : n.GetElementIndex().ToString(CultureInfo.InvariantCulture));
        }

        parts.Reverse();
        return "#" + string.Concat(parts.Select(p => "/" + p));
    }

    private static string Encode(string name) => name.Replace("~", "~0").Replace("/", "~1");

    // ---- Text mutations ----

    private static string Textual(Kind kind, string text, Random random, out string description)
    {
        var at = random.Next(text.Length + 1);
        switch (kind)
        {
            case Kind.Truncate:
                description = $"truncate at {at}";
                return text.Substring(0, at);
            case Kind.DeleteSpan:
                var deleted = Math.Min(1 + random.Next(64), text.Length - at);
                description = $"delete {deleted} chars at {at}";
                return text.Remove(at, deleted);
            case Kind.DuplicateSpan:
                var repeated = Math.Min(1 + random.Next(256), text.Length - at);
                description = $"repeat {repeated} chars at {at}";
                return text.Insert(at, text.Substring(at, repeated));
            case Kind.InsertToken:
                var token = Tokens[random.Next(Tokens.Length)];
                description = $"insert {Escape(token)} at {at}";
                return text.Insert(at, token);
            case Kind.InvalidUtf8:
                return InvalidUtf8(text, random, out description);
            default:
                var surrogate = random.Next(2) == 0 ? '\uD800' : '\uDC00';
                description = $"lone surrogate U+{(int)surrogate:X4} at {at}";
                return text.Insert(at, surrogate.ToString());
        }
    }

    /// <summary>
    /// Corrupts the UTF-8 bytes of the text and decodes them as the compiler does: invalid sequences become U+FFFD,
    /// or, half the time, the whole file is read as Latin-1 (the compiler's fallback for files that are not UTF-8).
    /// </summary>
    private static string InvalidUtf8(string text, Random random, out string description)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length == 0)
        {
            description = "invalid UTF-8: empty";
            return text;
        }

        var positions = new List<int>();
        for (var i = 0; i < 1 + random.Next(4); i++)
        {
            var at = random.Next(bytes.Length);
            bytes[at] = (byte)(0x80 + random.Next(0x80));
            positions.Add(at);
        }

        var latin1 = random.Next(2) == 0;
        description = $"invalid UTF-8 bytes at {string.Join(",", positions)}, read as {(latin1 ? "Latin-1" : "UTF-8 with U+FFFD")}";
        return latin1 ? Encoding.Latin1.GetString(bytes) : new UTF8Encoding(false, false).GetString(bytes);
    }

    // ---- Parsing and writing ----

    /// <summary>The seed as a tree; null when it is not strict JSON or simple YAML (it then gets text mutations only).</summary>
    private static JsonNode? Parse(Seed seed)
    {
        try
        {
            return seed.IsYaml ? FromYaml(seed.Text) : JsonNode.Parse(seed.Text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new System.IO.StringReader(text));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Convert(p.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => Plain(scalar.Value),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    private static JsonNode? Plain(string? value) => value switch
    {
        null or "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };

    /// <summary>
    /// JSON text (also written for YAML seeds: YAML 1.2 reads JSON), with the placeholders replaced by their raw
    /// text (deep nesting, huge arrays, duplicate keys and numbers that no tree can hold).
    /// </summary>
    private static string? Serialize(JsonNode root, Dictionary<string, string> raw)
    {
        StringBuilder text;
        try
        {
            text = new StringBuilder(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, MaxDepth = 4096 }));
        }
        catch (ArgumentException)
        {
            return null;
        }

        foreach (var pair in raw)
        {
            text.Replace(pair.Key, pair.Value);
        }

        return text.ToString();
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text.Length > 40 ? text.Substring(0, 40) + "..." : text)
        {
            escaped.Append(c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return "'" + escaped + "'";
    }
}
