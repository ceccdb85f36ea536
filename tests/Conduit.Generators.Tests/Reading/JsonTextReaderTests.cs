using System.Diagnostics;
using System.Linq;
using Conduit.Generators.Reading;
using static Conduit.Generators.Tests.Reading.ReadingAssert;

namespace Conduit.Generators.Tests.Reading;

public class JsonTextReaderTests
{
    // ---- DOM and positions ----

    [Fact]
    public void Reads_nested_values_with_their_spans()
    {
        const string text = "{\"a\": [1, {\"b\": true}], \"c\": \"x\", \"d\": null}";
        var root = Clean(JsonTextReader.Read(text));

        Assert.Equal(NodeKind.Object, root.Kind);
        Assert.Equal((0, text.Length), (root.Start, root.Length));
        Assert.Equal(new[] { "a", "c", "d" }, Names(root));

        var a = root["a"]!;
        Assert.Equal(NodeKind.Array, a.Kind);
        Covers(text, a, "[1, {\"b\": true}]");
        Assert.Equal(2, a.Items.Count);
        Covers(text, a.Items[0], "1");
        Covers(text, a.Items[1], "{\"b\": true}");
        var b = a.Items[1]["b"]!;
        Assert.Equal(NodeKind.Boolean, b.Kind);
        Assert.True(b.IsTrue);
        Covers(text, b, "true");

        var c = root["c"]!;
        Assert.Equal(NodeKind.String, c.Kind);
        Assert.Equal("x", c.Value);
        Covers(text, c, "\"x\"");

        var d = root["d"]!;
        Assert.Equal(NodeKind.Null, d.Kind);
        Assert.Null(d.Value);
        Covers(text, d, "null");
    }

    [Fact]
    public void Property_name_spans_include_the_quotes()
    {
        const string text = "{\n  \"info\": {\n    \"title\": \"T\"\n  }\n}";
        var root = Clean(JsonTextReader.Read(text));
        var info = root.Properties[0];
        var title = info.Value.Properties[0];

        Assert.Equal(("info", 4, 6), (info.Name, info.NameStart, info.NameLength));
        Assert.Equal(("title", 18, 7), (title.Name, title.NameStart, title.NameLength));
        var lines = LineMap.Create(text);
        Assert.Equal((2, 4), lines.GetPosition(title.NameStart));
        Assert.Equal((2, 13), lines.GetPosition(title.Value.Start));
        Assert.Equal((3, 2), lines.GetPosition(info.Value.End - 1));
    }

    [Fact]
    public void Reads_scalars_at_the_root()
    {
        Assert.Equal("s", Clean(JsonTextReader.Read(" \"s\" ")).Value);
        Assert.Equal("-1.5", Clean(JsonTextReader.Read("-1.5")).Value);
        Assert.Equal(NodeKind.Null, Clean(JsonTextReader.Read("null")).Kind);
        Assert.Equal("false", Clean(JsonTextReader.Read("false")).Value);
    }

    [Fact]
    public void Empty_containers_have_no_children()
    {
        var root = Clean(JsonTextReader.Read("{\"o\": {}, \"a\": [ ]}"));
        Assert.Empty(root["o"]!.Properties);
        Assert.Empty(root["a"]!.Items);
        Assert.Equal(3, root["a"]!.Length);
    }

    [Fact]
    public void Repeated_strings_share_one_instance()
    {
        var root = Clean(JsonTextReader.Read("[{\"type\": \"string\"}, {\"type\": \"string\"}]"));
        var first = root.Items[0].Properties[0];
        var second = root.Items[1].Properties[0];
        Assert.Same(first.Name, second.Name);
        Assert.Same(first.Value.Value, second.Value.Value);
    }

    // ---- Strings and escapes ----

    [Fact]
    public void Unescapes_every_simple_escape()
    {
        var root = Clean(JsonTextReader.Read("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t end\""));
        Assert.Equal("q\" b\\ s/ \b\f\n\r\t end", root.Value);
    }

    [Fact]
    public void Unescapes_unicode_escapes_and_keeps_lone_surrogates()
    {
        // Not a theory: xunit's serialization would mangle the lone surrogates.
        var cases = new (string Json, string Expected)[]
        {
            ("\"\\u00e9\"", "\u00e9"),
            ("\"a\\u00E9b\"", "a\u00e9b"),
            ("\"\\ud83d\\ude00\"", "\ud83d\ude00"),
            ("\"x\\ud83d\"", "x\ud83d"),
            ("\"\\ude00\\ud83d\"", "\ude00\ud83d"),
            ("\"\\u0000\"", "\0"),
        };
        foreach (var (json, expected) in cases)
        {
            var root = Clean(JsonTextReader.Read(json));
            Assert.Equal(expected, root.Value);
            Assert.Equal(json.Length, root.Length);
        }
    }

    [Fact]
    public void Raw_non_ascii_text_is_read_as_is()
    {
        Assert.Equal("caf\u00e9 \ud83d\ude00", Clean(JsonTextReader.Read("\"caf\u00e9 \ud83d\ude00\"")).Value);
    }

    // ---- Numbers ----

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("15", 15L)]
    [InlineData("-3", -3L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integers_read_as_Int64(string json, long expected)
    {
        var root = Clean(JsonTextReader.Read(json));
        Assert.Equal(NodeKind.Number, root.Kind);
        Assert.Equal(json, root.Value);
        Assert.True(root.TryGetInt64(out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1e3", 1000.0)]
    [InlineData("-0.5", -0.5)]
    [InlineData("2.5E-2", 0.025)]
    [InlineData("1E+2", 100.0)]
    [InlineData("9223372036854775808", 9223372036854775808.0)]
    public void Other_numbers_keep_their_text_and_read_as_double(string json, double expected)
    {
        var root = Clean(JsonTextReader.Read(json));
        Assert.Equal(json, root.Value);
        Assert.False(root.TryGetInt64(out _));
        Assert.True(root.TryGetDouble(out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Only_numbers_convert_to_numbers()
    {
        var root = Clean(JsonTextReader.Read("\"12\""));
        Assert.False(root.TryGetInt64(out _));
        Assert.False(root.TryGetDouble(out _));
    }

    // ---- Tolerances: each is a warning at its exact span ----

    [Fact]
    public void Raw_line_break_in_a_string_is_a_warning_and_read_as_a_line_break()
    {
        const string text = "{\"d\": \"line1\nline2\"}";
        var result = JsonTextReader.Read(text);
        var warning = SingleWarning(result);

        Assert.Equal("String contains a raw line break; JSON requires \\n. Read as a line break.", warning.Message);
        Span(warning, 12, 1);
        Assert.Equal((0, 12), LineMap.Create(text).GetPosition(warning.Start));
        Assert.Equal("line1\nline2", result.Root!["d"]!.Value);
    }

    [Fact]
    public void Raw_crlf_in_a_string_is_one_warning()
    {
        const string text = "[\"a\r\nb\", \"c\rd\"]";
        var result = JsonTextReader.Read(text);

        Assert.Equal(2, result.Problems.Length);
        Span(result.Problems[0], 3, 2);
        Span(result.Problems[1], 11, 1);
        Assert.Equal("a\r\nb", result.Root!.Items[0].Value);
        Assert.Equal("c\rd", result.Root!.Items[1].Value);
    }

    [Fact]
    public void Raw_control_characters_in_a_string_are_warnings_and_kept()
    {
        const string text = "\"a\tb\u0001c\\n\u001f\"";
        var result = JsonTextReader.Read(text);

        Assert.Equal(3, result.Problems.Length);
        Assert.All(result.Problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        Assert.Equal("String contains a raw control character U+0009; JSON requires \\t. Read as is.", result.Problems[0].Message);
        Span(result.Problems[0], 2, 1);
        Assert.Equal("String contains a raw control character U+0001; JSON requires \\u0001. Read as is.", result.Problems[1].Message);
        Span(result.Problems[1], 4, 1);
        Span(result.Problems[2], 8, 1);
        Assert.Equal("a\tb\u0001c\n\u001f", result.Root!.Value);
    }

    [Fact]
    public void Line_comment_is_a_warning()
    {
        const string text = "{\n  // the title\n  \"a\": 1 // one\n}";
        var result = JsonTextReader.Read(text);

        Assert.Equal(2, result.Problems.Length);
        Assert.Equal("Comment: JSON does not allow comments; remove it. Ignored.", result.Problems[0].Message);
        Span(result.Problems[0], 4, 12);
        Span(result.Problems[1], 26, 6);
        Assert.Equal((2, 9), LineMap.Create(text).GetPosition(result.Problems[1].Start));
        Assert.Equal("1", result.Root!["a"]!.Value);
    }

    [Fact]
    public void Block_comment_is_a_warning()
    {
        const string text = "[1, /* two\n lines */ 2]";
        var result = JsonTextReader.Read(text);

        var warning = SingleWarning(result);
        Span(warning, 4, 16);
        Assert.Equal(2, result.Root!.Items.Count);
    }

    [Fact]
    public void Comment_before_and_after_the_root_is_a_warning()
    {
        var result = JsonTextReader.Read("/* a */ {} // b");
        Assert.Equal(2, result.Problems.Length);
        Assert.NotNull(result.Root);
        Assert.Equal(8, result.Root!.Start);
    }

    [Fact]
    public void Unterminated_block_comment_after_the_root_is_a_warning()
    {
        var result = JsonTextReader.Read("{} /* open");
        var warning = SingleWarning(result);
        Assert.Equal("Unterminated comment: add the closing '*/'. Read as a comment to the end of the document.", warning.Message);
        Span(warning, 3, 7);
    }

    [Fact]
    public void Unterminated_block_comment_inside_an_object_ends_in_an_error()
    {
        var result = JsonTextReader.Read("{\"a\": 1 /* open");
        Assert.Equal(ProblemSeverity.Warning, result.Problems[0].Severity);
        var error = SingleError(result);
        Assert.Equal("Unterminated object: add the closing '}'.", error.Message);
    }

    [Fact]
    public void Trailing_comma_in_an_object_is_a_warning()
    {
        const string text = "{\"a\": 1,\n}";
        var result = JsonTextReader.Read(text);
        var warning = SingleWarning(result);

        Assert.Equal("Trailing comma: JSON does not allow a comma before '}'; remove it. Ignored.", warning.Message);
        Span(warning, 7, 1);
        Assert.Equal(new[] { "a" }, Names(result.Root!));
        Assert.Equal(text.Length, result.Root!.Length);
    }

    [Fact]
    public void Trailing_comma_in_an_array_is_a_warning()
    {
        var result = JsonTextReader.Read("[1, 2, /* c */ ]");
        Assert.Equal(2, result.Problems.Length);
        Span(result.Problems[1], 5, 1);
        Assert.Equal("Trailing comma: JSON does not allow a comma before ']'; remove it. Ignored.", result.Problems[1].Message);
        Assert.Equal(2, result.Root!.Items.Count);
    }

    [Fact]
    public void Duplicate_key_is_a_warning_on_the_later_name_and_the_later_value_wins()
    {
        const string text = "{\"x\": 1, \"y\": 2, \"x\": 3}";
        var result = JsonTextReader.Read(text);
        var warning = SingleWarning(result);

        Assert.Equal("Duplicate key 'x': the later value is used.", warning.Message);
        Span(warning, 17, 3);
        var root = result.Root!;
        Assert.Equal(new[] { "y", "x" }, Names(root));
        Assert.Equal("3", root["x"]!.Value);
        Assert.Equal(17, root.Properties[1].NameStart);
    }

    [Fact]
    public void Duplicate_keys_in_a_large_object_are_found()
    {
        var members = Enumerable.Range(0, 20).Select(i => $"\"k{i}\": {i}").ToList();
        members.Add("\"k3\": 100");
        members.Add("\"k15\": 200");
        members.Add("\"k3\": 300");
        var text = "{" + string.Join(", ", members) + "}";
        var result = JsonTextReader.Read(text);

        Assert.Equal(3, result.Problems.Length);
        Assert.All(result.Problems, p => Assert.StartsWith("Duplicate key 'k", p.Message, System.StringComparison.Ordinal));
        Span(result.Problems[2], text.LastIndexOf("\"k3\"", System.StringComparison.Ordinal), 4);
        var root = result.Root!;
        Assert.Equal(20, root.Properties.Count);
        Assert.Equal("300", root["k3"]!.Value);
        Assert.Equal("200", root["k15"]!.Value);
        Assert.Equal(new[] { "k15", "k3" }, Names(root).Skip(18));
    }

    [Fact]
    public void Byte_order_mark_is_skipped_silently()
    {
        var root = Clean(JsonTextReader.Read("\uFEFF{\"a\": 1}"));
        Assert.Equal(1, root.Start);
        Assert.Equal(2, root.Properties[0].NameStart);
    }

    // ---- Errors: the read stops with the root null ----

    [Theory]
    [InlineData("{\"a\": tru}", 6, 3, "Unexpected 'tru': expected a value. Write an object, array, string in double quotes, number, true, false or null.")]
    [InlineData("{\"a\": }", 6, 1, "Unexpected '}': expected a value. Write an object, array, string in double quotes, number, true, false or null.")]
    [InlineData("[1, , 2]", 4, 1, "Unexpected ',': expected a value. Write an object, array, string in double quotes, number, true, false or null.")]
    [InlineData("{a: 1}", 1, 1, "Unexpected 'a': expected a property name in double quotes.")]
    [InlineData("{'a': 1}", 1, 1, "Unexpected ''': expected a property name in double quotes.")]
    [InlineData("{,}", 1, 1, "Unexpected ',': expected a property name in double quotes.")]
    [InlineData("{\"a\" 1}", 5, 1, "Unexpected '1': expected ':' after the property name.")]
    [InlineData("{\"a\": 1 \"b\": 2}", 8, 1, "Unexpected '\"': expected ',' or '}' after an object member. Add the missing comma or brace.")]
    [InlineData("[1 2]", 3, 1, "Unexpected '2': expected ',' or ']' after an array item. Add the missing comma or bracket.")]
    [InlineData("[1}", 2, 1, "Unexpected '}': expected ',' or ']' after an array item. Add the missing comma or bracket.")]
    [InlineData("{} {}", 3, 1, "Unexpected '{': the document's root value has ended. Remove it, or wrap all values in one array or object.")]
    [InlineData("{\"a\": 1}}", 8, 1, "Unexpected '}': the document's root value has ended. Remove it, or wrap all values in one array or object.")]
    [InlineData("[\u0001]", 1, 1, "Unexpected U+0001: expected a value. Write an object, array, string in double quotes, number, true, false or null.")]
    [InlineData("[undefined]", 1, 9, "Unexpected 'undefined': expected a value. Write an object, array, string in double quotes, number, true, false or null.")]
    [InlineData("[.5]", 1, 1, "Unexpected '.': expected a value. Write an object, array, string in double quotes, number, true, false or null.")]
    [InlineData("[+1]", 1, 1, "Unexpected '+': expected a value. Write an object, array, string in double quotes, number, true, false or null.")]
    public void Unexpected_token_is_an_error_at_the_token(string text, int start, int length, string message)
    {
        var error = SingleError(JsonTextReader.Read(text));
        Assert.Equal(message, error.Message);
        Span(error, start, length);
    }

    [Fact]
    public void Long_unexpected_word_is_cut_in_the_message()
    {
        var word = new string('x', 40);
        var error = SingleError(JsonTextReader.Read("[" + word + "]"));
        Assert.Equal("Unexpected 'xxxxxxxxxxxxxxxxxxxxxxxx...': expected a value. Write an object, array, string in double quotes, number, true, false or null.", error.Message);
        Span(error, 1, 40);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("-")]
    [InlineData("-01")]
    [InlineData("1.")]
    [InlineData("1.e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.2.3")]
    [InlineData("1-2")]
    [InlineData("--1")]
    public void Invalid_number_is_an_error_over_the_whole_number(string number)
    {
        var text = "[0, " + number + "]";
        var error = SingleError(JsonTextReader.Read(text));
        Assert.Equal($"Invalid number '{number}': write a JSON number such as 12, -3.5 or 1e3 (no leading zeros, '+' signs or bare '.').", error.Message);
        Span(error, 4, number.Length);
    }

    [Theory]
    [InlineData("{\"a\": \"abc", 6)]
    [InlineData("\"abc\\\"", 0)]
    [InlineData("[\"a\\u00e9\nb", 1)]
    [InlineData("\"abc\\", 0)]
    public void Unterminated_string_is_an_error_at_the_opening_quote(string text, int quote)
    {
        var error = SingleError(JsonTextReader.Read(text));
        Assert.Equal("Unterminated string: add the closing '\"'.", error.Message);
        Span(error, quote, 1);
    }

    [Theory]
    [InlineData("{\"a\": 1", "Unterminated object: add the closing '}'.", 0)]
    [InlineData("{\"a\": ", "Unterminated object: add the closing '}'.", 0)]
    [InlineData("{\"a\"", "Unterminated object: add the closing '}'.", 0)]
    [InlineData("{", "Unterminated object: add the closing '}'.", 0)]
    [InlineData("[1, 2,", "Unterminated array: add the closing ']'.", 0)]
    [InlineData("{\"a\": [1, {}", "Unterminated array: add the closing ']'.", 6)]
    [InlineData("[[], {\"b\": 2 ", "Unterminated object: add the closing '}'.", 5)]
    public void Unterminated_container_is_an_error_at_its_opening_bracket(string text, string message, int bracket)
    {
        var error = SingleError(JsonTextReader.Read(text));
        Assert.Equal(message, error.Message);
        Span(error, bracket, 1);
    }

    [Theory]
    [InlineData("\"a\\qb\"", 2, 2, "Invalid escape '\\q': use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX, or write '\\\\' for a backslash.")]
    [InlineData("\"\\x41\"", 1, 2, "Invalid escape '\\x': use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX, or write '\\\\' for a backslash.")]
    [InlineData("\"\\u12G4\"", 1, 5, "Invalid escape '\\u12G': \\u needs exactly four hexadecimal digits, such as \\u00e9.")]
    [InlineData("\"\\u12\"", 1, 5, "Invalid escape '\\u12\"': \\u needs exactly four hexadecimal digits, such as \\u00e9.")]
    [InlineData("\"\\u12", 1, 4, "Invalid escape '\\u12': \\u needs exactly four hexadecimal digits, such as \\u00e9.")]
    public void Invalid_escape_is_an_error_at_the_escape(string text, int start, int length, string message)
    {
        var error = SingleError(JsonTextReader.Read(text));
        Assert.Equal(message, error.Message);
        Span(error, start, length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    [InlineData("// nothing\n/* here */")]
    [InlineData("\uFEFF")]
    public void Empty_document_is_an_error(string text)
    {
        var error = SingleError(JsonTextReader.Read(text));
        Assert.StartsWith("The document is empty", error.Message, System.StringComparison.Ordinal);
        Span(error, 0, text.Length);
    }

    [Fact]
    public void Error_position_maps_to_line_and_column()
    {
        const string text = "{\r\n  \"a\": 1,\r\n  \"b\": [1 2]\r\n}";
        var error = SingleError(JsonTextReader.Read(text));
        Assert.Equal((2, 10), LineMap.Create(text).GetPosition(error.Start));
    }

    // ---- Depth ----

    [Fact]
    public void Nesting_of_MaxDepth_levels_is_read()
    {
        var text = new string('[', JsonTextReader.MaxDepth) + new string(']', JsonTextReader.MaxDepth);
        var node = Clean(JsonTextReader.Read(text));
        for (var level = 1; level < JsonTextReader.MaxDepth; level++)
        {
            node = Assert.Single(node.Items);
        }

        Assert.Empty(node.Items);
    }

    [Fact]
    public void Nesting_deeper_than_MaxDepth_is_an_error_at_the_first_bracket_too_deep()
    {
        // Arrays to depth 200, then objects: the 57th object, at depth 257, is one too deep.
        var text = new string('[', 200) + string.Concat(Enumerable.Repeat("{\"a\": ", 57)) + "1";
        var error = SingleError(JsonTextReader.Read(text));
        Assert.StartsWith("Nesting deeper than 256 levels", error.Message, System.StringComparison.Ordinal);
        Span(error, 200 + (56 * 6), 1);
    }

    [Fact]
    public void Hundred_thousand_open_brackets_fail_quickly_without_overflowing_the_stack()
    {
        var watch = Stopwatch.StartNew();
        var error = SingleError(JsonTextReader.Read(new string('[', 100_000)));
        Assert.StartsWith("Nesting deeper than 256 levels", error.Message, System.StringComparison.Ordinal);
        Span(error, 256, 1);
        Assert.True(watch.ElapsedMilliseconds < 30_000, $"hang guard: took {watch.ElapsedMilliseconds} ms (speed is measured in benchmarks/, not here)");
    }
}
