using System.Diagnostics;
using System.Linq;
using System.Text;
using Conduit.Generators.Reading;
using static Conduit.Generators.Tests.Reading.ReadingAssert;

namespace Conduit.Generators.Tests.Reading;

public class YamlTextReaderTests
{
    // ---- Core schema for plain scalars ----

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    [InlineData("")]
    public void Null_forms_read_as_Null(string scalar)
    {
        var value = Clean(YamlTextReader.Read("k: " + scalar + "\nz: 1\n"))["k"]!;
        Assert.Equal(NodeKind.Null, value.Kind);
        Assert.Null(value.Value);
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("True", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("false", "false")]
    [InlineData("False", "false")]
    [InlineData("FALSE", "false")]
    public void Boolean_forms_read_as_Boolean(string scalar, string expected)
    {
        var value = Clean(YamlTextReader.Read("k: " + scalar))["k"]!;
        Assert.Equal(NodeKind.Boolean, value.Kind);
        Assert.Equal(expected, value.Value);
        Assert.Equal(expected == "true", value.IsTrue);
    }

    [Theory]
    [InlineData("15", "15")]
    [InlineData("-3", "-3")]
    [InlineData("+12", "+12")]
    [InlineData("007", "007")]
    [InlineData("0x1F", "31")]
    [InlineData("0xff", "255")]
    [InlineData("0o17", "15")]
    [InlineData("0x10000000000000000", "18446744073709551616")]
    public void Integers_read_as_Number(string scalar, string expected)
    {
        var value = Clean(YamlTextReader.Read("k: " + scalar))["k"]!;
        Assert.Equal(NodeKind.Number, value.Kind);
        Assert.Equal(expected, value.Value);
        Assert.Equal((3, scalar.Length), (value.Start, value.Length));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("-2.5E-1", -0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("1.", 1.0)]
    [InlineData("+1.0e+2", 100.0)]
    public void Floats_read_as_Number_with_their_text(string scalar, double expected)
    {
        var value = Clean(YamlTextReader.Read("k: " + scalar))["k"]!;
        Assert.Equal(NodeKind.Number, value.Kind);
        Assert.Equal(scalar, value.Value);
        Assert.True(value.TryGetDouble(out var number));
        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData(".inf")]
    [InlineData("-.inf")]
    [InlineData(".nan")]
    [InlineData("0x")]
    [InlineData("0o8")]
    [InlineData("0b101")]
    [InlineData("1_000")]
    [InlineData("1.2.3")]
    [InlineData("e5")]
    [InlineData("-1-")]
    [InlineData("2024-01-01")]
    [InlineData("tRue")]
    public void Other_plain_scalars_read_as_String(string scalar)
    {
        var value = Clean(YamlTextReader.Read("k: " + scalar))["k"]!;
        Assert.Equal(NodeKind.String, value.Kind);
        Assert.Equal(scalar, value.Value);
    }

    [Theory]
    [InlineData("'12'", "12")]
    [InlineData("\"true\"", "true")]
    [InlineData("''", "")]
    [InlineData("\"~\"", "~")]
    [InlineData("!!str 12", "12")]
    [InlineData("! null", "null")]
    public void Quoted_and_tagged_scalars_read_as_String(string scalar, string expected)
    {
        var value = Clean(YamlTextReader.Read("k: " + scalar))["k"]!;
        Assert.Equal(NodeKind.String, value.Kind);
        Assert.Equal(expected, value.Value);
        Assert.Equal((3, scalar.Length), (value.Start, value.Length));
    }

    [Fact]
    public void Double_quoted_escapes_and_surrogates_are_unescaped()
    {
        var value = Clean(YamlTextReader.Read("k: \"a\\tb\\u00e9\\U0001F600\\ud83d\\ude00\""))["k"]!;
        Assert.Equal("a\tb\u00e9\ud83d\ude00\ud83d\ude00", value.Value);
    }

    // ---- Styles and positions ----

    [Fact]
    public void Block_mappings_and_sequences_read_with_their_spans()
    {
        const string text = "openapi: 3.1.0\ninfo:\n  title: Pets\n  tags:\n    - a\n    - 'b c'\n# trailing comment\n";
        var root = Clean(YamlTextReader.Read(text));
        Assert.Equal(new[] { "openapi", "info" }, Names(root));

        var openapi = root.Properties[0];
        Assert.Equal((0, 7), (openapi.NameStart, openapi.NameLength));
        Assert.Equal(NodeKind.String, openapi.Value.Kind);
        Covers(text, openapi.Value, "3.1.0");

        var info = root["info"]!;
        var tags = info["tags"]!;
        Assert.Equal("Pets", info["title"]!.Value);
        Assert.Equal(new[] { "a", "b c" }, tags.Items.Select(i => i.Value));
        Covers(text, tags.Items[1], "'b c'");

        // A block collection ends at the end of its last node, before trailing comments.
        Covers(text, info, "title: Pets\n  tags:\n    - a\n    - 'b c'");
        Covers(text, tags, "- a\n    - 'b c'");
        Assert.Equal(text.IndexOf("\n#", System.StringComparison.Ordinal), root.End);

        var lines = LineMap.Create(text);
        var title = info.Properties[0];
        Assert.Equal((2, 2), lines.GetPosition(title.NameStart));
        Assert.Equal((2, 9), lines.GetPosition(title.Value.Start));
        Assert.Equal((5, 6), lines.GetPosition(tags.Items[1].Start));
    }

    [Fact]
    public void Flow_collections_span_through_their_closing_bracket()
    {
        const string text = "k: {a: [1, \"x\"], b: {}}\n";
        var root = Clean(YamlTextReader.Read(text));
        var k = root["k"]!;
        Covers(text, k, "{a: [1, \"x\"], b: {}}");
        Covers(text, k["a"]!, "[1, \"x\"]");
        Covers(text, k["b"]!, "{}");
        Assert.Equal(NodeKind.Object, k["b"]!.Kind);
        Assert.Empty(k["b"]!.Properties);
        Assert.Equal("1", k["a"]!.Items[0].Value);
        Assert.Equal(NodeKind.Number, k["a"]!.Items[0].Kind);
    }

    [Fact]
    public void Json_text_reads_as_yaml()
    {
        const string text = "{\"a\": [1, true, null, \"s\"]}";
        var root = Clean(YamlTextReader.Read(text));
        Assert.Equal((0, text.Length), (root.Start, root.Length));
        var kinds = root["a"]!.Items.Select(i => i.Kind);
        Assert.Equal(new[] { NodeKind.Number, NodeKind.Boolean, NodeKind.Null, NodeKind.String }, kinds);
    }

    [Fact]
    public void Literal_and_folded_block_scalars_read_as_String()
    {
        const string text = "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: 1\n";
        var root = Clean(YamlTextReader.Read(text));
        Assert.Equal("line 1\nline 2\n", root["a"]!.Value);
        Assert.Equal("folded text", root["b"]!.Value);
        Assert.Equal(NodeKind.String, root["a"]!.Kind);
        Assert.Equal(text.IndexOf('|'), root["a"]!.Start);
        Assert.Equal(text.IndexOf('>'), root["b"]!.Start);
    }

    [Fact]
    public void Keys_keep_their_text_as_written()
    {
        const string text = "200: ok\n0x1F: hex\n'quoted': q\n~: tilde\ntrue: t\n";
        var root = Clean(YamlTextReader.Read(text));
        Assert.Equal(new[] { "200", "0x1F", "quoted", "~", "true" }, Names(root));
        var quoted = root.Properties[2];
        Assert.Equal((text.IndexOf('\''), 8), (quoted.NameStart, quoted.NameLength));
    }

    [Fact]
    public void Byte_order_mark_is_skipped_and_offsets_count_it()
    {
        var root = Clean(YamlTextReader.Read("\uFEFFa: 1\n"));
        Assert.Equal(new[] { "a" }, Names(root));
        Assert.Equal(1, root.Properties[0].NameStart);
        Assert.Equal(4, root["a"]!.Start);
    }

    [Fact]
    public void Explicit_document_markers_are_read()
    {
        var root = Clean(YamlTextReader.Read("%YAML 1.2\n---\na: 1\n...\n"));
        Assert.Equal("1", root["a"]!.Value);
    }

    [Fact]
    public void Document_with_only_a_marker_reads_as_Null()
    {
        Assert.Equal(NodeKind.Null, Clean(YamlTextReader.Read("---\n")).Kind);
    }

    // ---- Anchors and aliases ----

    [Fact]
    public void Alias_is_the_same_node_as_its_anchor()
    {
        const string text = "base: &b {type: string}\nscalar: &s 12\nuse: *b\nagain: *s\n";
        var root = Clean(YamlTextReader.Read(text));
        Assert.Same(root["base"], root["use"]);
        Assert.Same(root["scalar"], root["again"]);
        Assert.Equal("string", root["use"]!["type"]!.Value);
        Assert.Equal(NodeKind.Number, root["again"]!.Kind);
    }

    [Fact]
    public void Later_anchor_with_the_same_name_replaces_the_earlier()
    {
        var root = Clean(YamlTextReader.Read("- &a 1\n- *a\n- &a 2\n- *a\n"));
        Assert.Equal(new[] { "1", "1", "2", "2" }, root.Items.Select(i => i.Value));
    }

    [Fact]
    public void Alias_bomb_stays_cheap()
    {
        // Each level holds nine aliases of the one before: 9^9 values if copied.
        var text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level <= 9; level++)
        {
            var aliases = string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9));
            text.Append($"a{level}: &a{level} [{aliases}]\n");
        }

        var watch = Stopwatch.StartNew();
        var root = Clean(YamlTextReader.Read(text.ToString()));
        Assert.True(watch.ElapsedMilliseconds < 30_000, $"hang guard: took {watch.ElapsedMilliseconds} ms (speed is measured in benchmarks/, not here)");
        Assert.Same(root["a8"], root["a9"]!.Items[8]);
    }

    [Fact]
    public void Anchored_key_can_be_aliased_as_a_key_or_value()
    {
        var root = Clean(YamlTextReader.Read("&k name: 1\nother:\n  *k : 2\nv: *k\n"));
        Assert.Equal("2", root["other"]!["name"]!.Value);
        Assert.Equal("name", root["v"]!.Value);
    }

    [Fact]
    public void Unknown_alias_is_an_error_at_the_alias()
    {
        var error = SingleError(YamlTextReader.Read("a: 1\nb: *nope\n"));
        Assert.Equal("Unknown alias '*nope': define the anchor '&nope' before the alias.", error.Message);
        Span(error, 8, 5);
    }

    [Fact]
    public void Recursive_alias_is_an_error()
    {
        var error = SingleError(YamlTextReader.Read("a: &r\n  self: *r\n"));
        Assert.StartsWith("Alias '*r' is inside the node it refers to", error.Message, System.StringComparison.Ordinal);
        Span(error, 14, 2);
    }

    // ---- Warnings ----

    [Fact]
    public void Duplicate_key_is_a_warning_on_the_later_key_and_the_later_value_wins()
    {
        const string text = "a: 1\nb: 2\na: 3\n";
        var result = YamlTextReader.Read(text);
        var warning = SingleWarning(result);
        Assert.Equal("Duplicate key 'a': the later value is used.", warning.Message);
        Span(warning, 10, 1);
        Assert.Equal((2, 0), LineMap.Create(text).GetPosition(warning.Start));
        Assert.Equal(new[] { "b", "a" }, Names(result.Root!));
        Assert.Equal("3", result.Root!["a"]!.Value);
    }

    [Fact]
    public void Duplicate_quoted_key_is_a_duplicate_of_the_plain_key()
    {
        var warning = SingleWarning(YamlTextReader.Read("{a: 1, 'a': 2}"));
        Span(warning, 7, 3);
    }

    [Fact]
    public void Non_scalar_key_is_a_warning_and_the_pair_is_skipped()
    {
        const string text = "a: 1\n? [x, y]\n: 2\n? {k: v}\n: 3\nb: 4\n";
        var result = YamlTextReader.Read(text);
        Assert.Equal(2, result.Problems.Length);
        Assert.All(result.Problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        Assert.Equal("Mapping key is not a scalar: OpenAPI keys are strings. The pair is skipped.", result.Problems[0].Message);
        Span(result.Problems[0], 7, 6);
        Span(result.Problems[1], 20, 6);
        Assert.Equal(new[] { "a", "b" }, Names(result.Root!));
    }

    [Fact]
    public void Alias_of_a_collection_as_a_key_is_a_warning_at_the_alias()
    {
        const string text = "a: &c [1]\n*c : 2\n";
        var warning = SingleWarning(YamlTextReader.Read(text));
        Assert.StartsWith("Mapping key is not a scalar", warning.Message, System.StringComparison.Ordinal);
        Span(warning, 10, 2);
    }

    [Fact]
    public void Further_documents_are_a_warning_and_only_the_first_is_read()
    {
        const string text = "a: 1\n---\nb: 2\n---\nc: 3\n";
        var result = YamlTextReader.Read(text);
        var warning = SingleWarning(result);
        Assert.StartsWith("The stream holds more than one document: only the first is read.", warning.Message, System.StringComparison.Ordinal);
        Span(warning, 5, 3);
        Assert.Equal(new[] { "a" }, Names(result.Root!));
    }

    // ---- Errors ----

    [Fact]
    public void Syntax_error_is_an_error_at_its_mark()
    {
        const string text = "a: 1\nb: \"open\n";
        var error = SingleError(YamlTextReader.Read(text));
        Assert.Equal("Invalid YAML: while scanning a quoted scalar, found unexpected end of stream. Correct the syntax here.", error.Message);
        Assert.Equal(8, error.Start);
        Assert.Equal((1, 3), LineMap.Create(text).GetPosition(error.Start));
    }

    [Fact]
    public void Bad_indentation_is_an_error()
    {
        const string text = "a:\n  b: 1\n c: 2\n";
        var error = SingleError(YamlTextReader.Read(text));
        Assert.StartsWith("Invalid YAML: ", error.Message, System.StringComparison.Ordinal);
        Assert.Equal(2, LineMap.Create(text).GetPosition(error.Start).Line);
    }

    [Fact]
    public void Parser_failure_outside_YamlException_is_an_error()
    {
        // YamlDotNet 18.1 throws InvalidOperationException on this input.
        var error = SingleError(YamlTextReader.Read(": {\nd"));
        Assert.StartsWith("Invalid YAML: ", error.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("# only a comment\n")]
    public void Empty_document_is_an_error(string text)
    {
        var error = SingleError(YamlTextReader.Read(text));
        Assert.StartsWith("The document is empty", error.Message, System.StringComparison.Ordinal);
    }

    // ---- Depth ----

    [Fact]
    public void Nesting_of_MaxDepth_levels_is_read()
    {
        var text = new string('[', JsonTextReader.MaxDepth) + new string(']', JsonTextReader.MaxDepth);
        Clean(YamlTextReader.Read(text));
    }

    [Fact]
    public void Deep_block_nesting_is_an_error()
    {
        var text = new StringBuilder();
        for (var level = 0; level < 300; level++)
        {
            text.Append(' ', level).Append("k:\n");
        }

        var error = SingleError(YamlTextReader.Read(text.ToString()));
        Assert.StartsWith("Nesting deeper than 256 levels", error.Message, System.StringComparison.Ordinal);
        Assert.Equal((256, 256), LineMap.Create(text.ToString()).GetPosition(error.Start));
    }

    [Fact]
    public void Hundred_thousand_open_brackets_fail_quickly_without_overflowing_the_stack()
    {
        var watch = Stopwatch.StartNew();
        var error = SingleError(YamlTextReader.Read(new string('[', 100_000)));
        Assert.StartsWith("Nesting deeper than 256 levels", error.Message, System.StringComparison.Ordinal);
        Span(error, 256, 1);
        Assert.True(watch.ElapsedMilliseconds < 30_000, $"hang guard: took {watch.ElapsedMilliseconds} ms (speed is measured in benchmarks/, not here)");
    }
}
