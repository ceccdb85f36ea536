using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Conduit.Fuzz.Fuzzing;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Conduit.Fuzz;

/// <summary>
/// Bounded cost (issue 5): 10,000-level nesting, 100,000 enum values and 20,000 operations each finish in bounded
/// time and memory, on a 1 MB stack, with a diagnostic at the document's line and column where a limit is reached.
/// The bounds are hang and blow-up guards, generous on purpose; speed is measured in benchmarks/.
/// </summary>
public sealed class BoundsTests(ITestOutputHelper output)
{
    private const int Deep = 10_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private const long MaxAllocatedBytes = 2L * 1024 * 1024 * 1024;

    [Fact]
    public void Json_arrays_nested_10000_deep_are_refused_at_the_first_level_too_deep()
    {
        var text = Document(schemas: "\"Deep\": {\"type\": \"array\", \"example\": " + Repeat("[", Deep) + Repeat("]", Deep) + "}");
        var result = Generate("deep.json", text);

        // The root, components, schemas and Deep objects are the first four levels.
        AssertTooDeep(result, text, text.IndexOf('[') + 256 - 4);
    }

    [Fact]
    public void Schema_properties_nested_10000_deep_are_refused_at_the_first_level_too_deep()
    {
        const string open = "{\"type\": \"object\", \"properties\": {\"p\": ";
        var text = Document(schemas: "\"Deep\": " + Repeat(open, Deep) + "{\"type\": \"string\"}" + Repeat("}}", Deep));
        var result = Generate("deep.json", text);

        // Levels 1-3 are the root, components and schemas; then each schema opens two: itself and its properties.
        // Level 257 is the properties object of the 127th schema.
        var schema127 = text.IndexOf(open, StringComparison.Ordinal) + (126 * open.Length);
        AssertTooDeep(result, text, schema127 + open.IndexOf("{\"p\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Yaml_flow_and_block_sequences_nested_10000_deep_are_refused()
    {
        var flow = YamlDocument("example: " + Repeat("[", Deep) + Repeat("]", Deep));
        AssertTooDeep(Generate("flow.yaml", flow), flow, flow.IndexOf('[') + 256 - 4);

        // "- - - x": each dash opens a block sequence inside the one before.
        var block = YamlDocument("example:\n        " + Repeat("- ", Deep) + "x");
        AssertTooDeep(Generate("block.yaml", block), block, block.IndexOf('-', block.IndexOf("example", StringComparison.Ordinal)) + (2 * (256 - 4)));
    }

    [Theory]
    [InlineData("{\"type\": \"object\", \"properties\": {\"next\": NEXT}}")]
    [InlineData("{\"type\": \"array\", \"items\": NEXT}")]
    [InlineData("{\"type\": \"object\", \"additionalProperties\": NEXT}")]
    [InlineData("{\"oneOf\": [NEXT, {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}]}")]
    public void A_chain_of_10000_schemas_each_holding_the_next_is_cut_with_a_warning(string shape)
    {
        // Each schema refers to the next: no nesting in the text, 10,000 levels for the schema walk.
        var schemas = string.Join(",\n", Enumerable.Range(0, Deep).Select(i =>
            $"\"S{i}\": " + shape.Replace("NEXT", i + 1 < Deep ? $"{{\"$ref\": \"#/components/schemas/S{i + 1}\"}}" : "{\"type\": \"string\"}", StringComparison.Ordinal)));
        var text = Document(schemas: schemas, paths: Operation("/s", "getS", "#/components/schemas/S0"));
        var result = Generate("chain.json", text);

        Assert.True(result.Passed, result.Failure);
        Assert.True(result.Generated);
        // At the schema where the walk stopped, S128, the 129th of the chain (and at inline schemas cut beside it).
        var cut = result.Diagnostics.First(d => d.Id == "CND2005");
        Assert.Contains("more than 128 schemas deep", cut.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(text.IndexOf("\"S128\": ", StringComparison.Ordinal) + "\"S128\": ".Length, cut.Location.SourceSpan.Start);
    }

    [Fact]
    public void A_diamond_of_allOf_parts_is_flattened_in_linear_time()
    {
        // S0 = allOf [S1, S1], S1 = allOf [S2, S2], ...: 2^30 paths through 31 schemas.
        var schemas = string.Join(",\n", Enumerable.Range(0, 31).Select(i => i < 30
            ? $"\"S{i}\": {{\"allOf\": [{{\"$ref\": \"#/components/schemas/S{i + 1}\"}}, {{\"$ref\": \"#/components/schemas/S{i + 1}\"}}], \"properties\": {{\"p{i}\": {{\"type\": \"string\"}}}}}}"
            : $"\"S{i}\": {{\"type\": \"object\", \"properties\": {{\"last\": {{\"type\": \"integer\"}}}}}}"));
        var text = Document(schemas: schemas, paths: Operation("/s", "getS", "#/components/schemas/S0"));
        var result = Generate("diamond.json", text, bound: TimeSpan.FromSeconds(20));

        Assert.True(result.Passed, result.Failure);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "CND2005");
    }

    [Fact]
    public void A_yaml_alias_bomb_reads_in_linear_time()
    {
        // The "billion laughs": each level is ten aliases of the one before, 10^9 leaves from 1 KB of text.
        var levels = new StringBuilder("x-bomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 9; i++)
        {
            levels.Append($"  l{i}: &l{i} [").Append(string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }

        var text = "openapi: 3.1.0\ninfo: {title: Bomb, version: '1'}\n" + levels +
            "paths:\n  /bomb:\n    get:\n      operationId: getBomb\n      responses:\n        '200':\n          description: *l9\n" +
            "          content:\n            application/json:\n              schema: {type: array, example: *l9, default: *l9, enum: *l9, items: {type: string, enum: *l9}}\n";
        var result = Generate("bomb.yaml", text, bound: TimeSpan.FromSeconds(20));

        Assert.True(result.Passed, result.Failure);
    }

    [Fact]
    public void A_chain_of_10000_references_to_references_is_reported_where_it_is_cut()
    {
        var schemas = string.Join(",\n", Enumerable.Range(0, Deep).Select(i =>
            $"\"S{i}\": {(i + 1 < Deep ? $"{{\"$ref\": \"#/components/schemas/S{i + 1}\"}}" : "{\"type\": \"string\"}")}"));
        var text = Document(schemas: schemas, paths: Operation("/s", "getS", "#/components/schemas/S0"));
        var result = Generate("refs.json", text);

        Assert.True(result.Passed, result.Failure);
        Assert.Contains(result.Diagnostics, d => d.Id == "CND1005");
    }

    [Fact]
    public void An_enum_of_100000_values_generates_within_bounds()
    {
        // Generation only: compiling 100,000 members is the C# compiler's cost (docs/robustness.md has the figures).
        var values = string.Join(",", Enumerable.Range(0, 100_000).Select(i => "\"value-" + i.ToString(CultureInfo.InvariantCulture) + "\""));
        var text = Document(schemas: "\"Big\": {\"type\": \"string\", \"enum\": [" + values + "]}", paths: Operation("/big", "getBig", "#/components/schemas/Big"));
        var result = Generate("enum.json", text, compile: false);

        Assert.True(result.Passed, result.Failure);
        Assert.True(result.Generated);
    }

    [Fact]
    public void A_type_list_of_100000_names_and_a_union_of_10000_shapes_generate_within_bounds()
    {
        // Both were quadratic: the type names and the union's variants were de-duplicated by scanning a list.
        var types = string.Join(",", Enumerable.Range(0, 100_000).Select(i => "\"t" + i.ToString(CultureInfo.InvariantCulture) + "\""));
        var shapes = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"{{\"type\": \"object\", \"properties\": {{\"p{i}\": {{\"type\": \"string\"}}}}}}"));
        var text = Document(
            schemas: "\"Many\": {\"type\": [" + types + "]},\n\"Union\": {\"oneOf\": [" + shapes + "]}",
            paths: Operation("/many", "getMany", "#/components/schemas/Many") + ",\n" + Operation("/union", "getUnion", "#/components/schemas/Union"));
        var result = Generate("many.json", text, compile: false, bound: TimeSpan.FromSeconds(30));

        Assert.True(result.Passed, result.Failure);
        var approximated = Assert.Single(result.Diagnostics, d => d.Id == "CND2001");
        Assert.Contains("t7 and 99992 more", approximated.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_document_of_20000_operations_generates_within_bounds()
    {
        var paths = string.Join(",\n", Enumerable.Range(0, 20_000).Select(i => Operation("/items" + i.ToString(CultureInfo.InvariantCulture) + "/{id}", "getItem" + i.ToString(CultureInfo.InvariantCulture), "#/components/schemas/Item", pathParameter: true)));
        var text = Document(schemas: "\"Item\": {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}}", paths: paths);
        var result = Generate("operations.json", text, compile: false);

        Assert.True(result.Passed, result.Failure);
        Assert.True(result.Generated);
    }

    // ---- Documents ----

    private static string Document(string schemas, string paths = "") =>
        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"Bounds\", \"version\": \"1\"},\n\"paths\": {" + paths + "},\n\"components\": {\"schemas\": {\n" + schemas + "\n}}}\n";

    private static string YamlDocument(string schemaBody) =>
        "openapi: 3.1.0\ninfo: {title: Bounds, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep:\n      type: array\n      " + schemaBody + "\n";

    private static string Operation(string path, string operationId, string reference, bool pathParameter = false) =>
        $"\"{path}\": {{\"get\": {{\"operationId\": \"{operationId}\", " +
        (pathParameter ? "\"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"schema\": {\"type\": \"string\"}}], " : "") +
        $"\"responses\": {{\"200\": {{\"description\": \"OK\", \"content\": {{\"application/json\": {{\"schema\": {{\"$ref\": \"{reference}\"}}}}}}}}}}}}}}";

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    // ---- Running and checking ----

    private CheckResult Generate(string path, string text, bool compile = true, TimeSpan? bound = null)
    {
        var result = GeneratorCheck.Run(path, text, Array.Empty<(string, string)>(), bound ?? Bound, compile);
        output.WriteLine($"{path}: {text.Length:N0} chars, {result.Elapsed.TotalSeconds:0.00} s ({result.GenerationTime.TotalSeconds:0.00} s generating), {result.GenerationAllocatedBytes / (1024.0 * 1024):N0} MB allocated while generating, {result.Sources} sources, diagnostics: {string.Join(", ", result.Diagnostics.GroupBy(d => d.Id).Select(g => g.Key + " x" + g.Count()))}");
        Assert.True(result.GenerationAllocatedBytes < MaxAllocatedBytes, $"{result.GenerationAllocatedBytes:N0} bytes allocated");
        return result;
    }

    /// <summary>The document is refused with CND1002 at <paramref name="offset"/>, the first container beyond the depth limit.</summary>
    private static void AssertTooDeep(CheckResult result, string text, int offset)
    {
        Assert.True(result.Passed, result.Failure);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CND1002", diagnostic.Id);
        Assert.Contains("Nesting deeper than", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(offset, diagnostic.Location.SourceSpan.Start);
        var line = text.Take(offset).Count(c => c == '\n');
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(offset - (text.LastIndexOf('\n', offset - 1) + 1), diagnostic.Location.GetLineSpan().StartLinePosition.Character);
    }
}
