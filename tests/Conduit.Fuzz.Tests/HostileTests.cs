using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace Conduit.Fuzz;

/// <summary>
/// Documents written to inject code (issue 5): names, descriptions, enum values, paths, examples and defaults that
/// try to close a comment, a string or a documentation element, start a preprocessor directive, hide text behind
/// bidirectional controls or smuggle a <c>\u</c> escape into an identifier. The client compiles without a warning,
/// and holds nothing but what the document describes.
/// </summary>
public sealed class HostileTests(ITestOutputHelper output)
{
    /// <summary>The only directives the generator writes itself (its file header).</summary>
    private static readonly string[] AllowedDirectives = { "#nullable enable", "#pragma warning disable CS0612, CS0618, CS1591" };

    /// <summary>Bidirectional controls (Trojan Source, CVE-2021-42574) and other invisible direction marks.</summary>
    private static readonly char[] BidiControls =
    {
        '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C',
    };

    [Fact]
    public void Hostile_json_document_generates_exactly_its_types_and_nothing_else()
    {
        var result = Generate("hostile.json");

        AssertSafe(result);
        Assert.Equal(
            new[]
            {
                "Hostile.HostileClient", "Hostile.HostileClientServiceCollectionExtensions", "Hostile.IHostileClient",
                "Hostile.HostileModels.EvilClassEvil", "Hostile.HostileModels.GetItemErrorEvilClass", "Hostile.HostileModels.GlobalEvil", "Hostile.HostileModels.U0045vil",
                "Hostile.HostileModels.U0045vilChoice", "Hostile.HostileModels.HostileJsonContext",
            }.Order(StringComparer.Ordinal),
            TopLevelTypes(result));
    }

    [Fact]
    public void Hostile_yaml_document_generates_exactly_its_types_and_nothing_else()
    {
        var result = Generate("hostile.yaml");

        AssertSafe(result);
        Assert.Equal(
            new[]
            {
                "Hostile.HostileClient", "Hostile.HostileClientServiceCollectionExtensions", "Hostile.IHostileClient",
                "Hostile.HostileModels.Thing", "Hostile.HostileModels.ThingRegion",
                "Hostile.HostileModels.HostileJsonContext",
            }.Order(StringComparer.Ordinal),
            TopLevelTypes(result));
    }

    [Fact]
    public void Every_hostile_string_of_the_fuzzer_in_every_place_yields_safe_code()
    {
        // Each of the fuzzer's hostile strings as a title, description, path, operation id, parameter name,
        // schema name, property name, enum value, default and example at once.
        foreach (var (hostile, index) in Fuzzing.Mutator.HostileTexts.Select((h, i) => (h, i)))
        {
            var pointer = hostile.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            var text = HostileTemplate
                .Replace("POINTER", Json(pointer), StringComparison.Ordinal)
                .Replace("HOSTILE", Json(hostile), StringComparison.Ordinal);
            var result = GeneratorHarness.Run(Source("t" + index + ".json"), ("Hostile/t" + index + ".json", text));
            output.WriteLine($"{index}: {Escape(hostile)}: {result.Sources.Length} sources, {string.Join(", ", result.GeneratorDiagnostics.Select(d => d.Id))}");
            AssertSafe(result);

            // The client, its interface, its DI extensions, the JSON context, the enum and the model: no more, no fewer.
            Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "CND1005");
            Assert.Equal(6, TopLevelTypes(result).Count());
        }
    }

    /// <summary>The inside of a JSON string: quotes, backslashes and controls escaped, everything else (lone surrogates too) raw.</summary>
    private static string Json(string text) =>
        string.Concat(text.Select(c => c is '"' or '\\' ? "\\" + c : c < ' ' ? $"\\u{(int)c:x4}" : c.ToString()));

    private const string HostileTemplate = """
        {"openapi": "3.1.0", "info": {"title": "HOSTILE", "version": "HOSTILE", "description": "HOSTILE"},
         "servers": [{"url": "https://example.test/HOSTILE"}],
         "paths": {"/a/HOSTILE/{HOSTILE}": {"get": {"operationId": "HOSTILE", "summary": "HOSTILE",
           "parameters": [{"name": "HOSTILE", "in": "path", "required": true, "description": "HOSTILE", "schema": {"type": "string", "default": "HOSTILE", "example": "HOSTILE"}},
                          {"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/POINTER"}}],
           "responses": {"200": {"description": "HOSTILE", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/POINTERModel"}}}}}}}},
         "components": {"schemas": {
           "HOSTILE": {"type": "string", "enum": ["HOSTILE", "plain"], "description": "HOSTILE"},
           "HOSTILEModel": {"type": "object", "required": ["HOSTILE"], "properties": {"HOSTILE": {"type": "string", "description": "HOSTILE", "default": "HOSTILE"}, "other": {"$ref": "#/components/schemas/POINTER"}}}}}}
        """;

    // ---- Running ----

    private static string Source(string document) =>
        $"using Conduit; namespace Hostile; [OpenApiClient(\"Hostile/{document}\")] public partial class HostileClient;";

    private GenerationResult Generate(string document)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Hostile", document));
        var result = GeneratorHarness.Run(Source(document), ("Hostile/" + document, text));
        foreach (var diagnostic in result.GeneratorDiagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        return result;
    }

    /// <summary>The generated types outside nesting (the class itself is declared by the test, the rest by the generator).</summary>
    private static IEnumerable<string> TopLevelTypes(GenerationResult result)
    {
        var generated = result.Output.SyntaxTrees.Where(t => result.Sources.Any(s => t.FilePath.EndsWith(s.HintName, StringComparison.Ordinal))).ToList();
        return generated
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>()
                .Where(d => d.Parent is not Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax)
                .Select(d => result.Output.GetSemanticModel(t).GetDeclaredSymbol(d)!.ToDisplayString()))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // ---- What safe means ----

    private void AssertSafe(GenerationResult result)
    {
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.NotEmpty(result.Sources);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id is "CS8785" or "AD0001" || d.GetMessage().Contains("please report", StringComparison.OrdinalIgnoreCase));
        foreach (var source in result.Sources)
        {
            var text = source.SourceText.ToString();
            var tree = CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose));
            var where = source.HintName;

            // Nothing hidden by direction controls, anywhere (in strings they are escaped as \uXXXX).
            Assert.True(text.IndexOfAny(BidiControls) < 0, $"{where}: bidirectional control at {text.IndexOfAny(BidiControls)}");

            // Only the header's directives.
            foreach (var directive in tree.GetRoot().DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsDirective))
            {
                Assert.Contains(directive.ToString().Trim(), AllowedDirectives);
            }

            // No block comments (so no '*/' to close one early), and well-formed XML in every documentation comment.
            Assert.DoesNotContain(tree.GetRoot().DescendantTrivia(descendIntoTrivia: true), t => t.IsKind(SyntaxKind.MultiLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia));
            Assert.DoesNotContain(tree.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
            foreach (var block in DocumentationBlocks(text))
            {
                AssertWellFormed(block, where);
            }

            // Identifiers are spelled as they read: no \u escapes (C# reads \u0065 as 'e'), no invisible formatting chars.
            foreach (var token in tree.GetRoot().DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)))
            {
                Assert.True(token.Text == token.ValueText || token.Text == "@" + token.ValueText, $"{where}: identifier '{token.Text}' is spelled with escapes");
                Assert.DoesNotContain(token.ValueText, c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
            }

            // String literals are ASCII with escapes: no raw line break or control char can end one early.
            foreach (var token in tree.GetRoot().DescendantTokens().Where(t => t.IsKind(SyntaxKind.StringLiteralToken)))
            {
                Assert.DoesNotContain(token.Text, c => c < ' ' || c > '~');
            }
        }

        // Nothing outside the client's namespace: a 'global::' or 'System' name cannot declare a type elsewhere.
        Assert.All(TopLevelTypes(result), name => Assert.StartsWith("Hostile.", name, StringComparison.Ordinal));
    }

    /// <summary>Each run of consecutive <c>///</c> lines, without the slashes.</summary>
    private static IEnumerable<string> DocumentationBlocks(string text)
    {
        var block = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("///", StringComparison.Ordinal))
            {
                block.Append(trimmed, 3, trimmed.Length - 3).Append('\n');
            }
            else if (block.Length > 0)
            {
                yield return block.ToString();
                block.Clear();
            }
        }
    }

    private static void AssertWellFormed(string block, string where)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader("<doc>" + block + "</doc>"), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            while (reader.Read())
            {
                Assert.False(reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && !KnownTags.Contains(reader.Name), $"{where}: unexpected documentation element <{reader.Name}> in {block}");
            }
        }
        catch (XmlException e)
        {
            Assert.Fail($"{where}: documentation is not well-formed XML ({e.Message}):\n{block}");
        }
    }

    private static readonly HashSet<string> KnownTags = new(StringComparer.Ordinal) { "summary", "remarks", "param", "returns", "inheritdoc", "exception", "value", "typeparam", "example" };

    private static string Escape(string text) => string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
