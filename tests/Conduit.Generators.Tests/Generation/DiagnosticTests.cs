using System.Linq;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// Every problem is reported where it is written (the document's own line and column, or the
/// attribute), says what to do, and a document that cannot be used yields no code at all.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Client = "using Conduit; namespace App; [OpenApiClient(\"api.json\")] public partial class ApiClient;";

    private static Diagnostic Single(GenerationResult result, string id)
    {
        var diagnostic = Assert.Single(result.GeneratorDiagnostics, d => d.Id == id);
        return diagnostic;
    }

    private static (int Line, int Column) Position(Diagnostic diagnostic)
    {
        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        return (start.Line + 1, start.Character + 1);
    }

    [Fact]
    public void Missing_document_is_reported_on_the_attribute_and_nothing_is_generated()
    {
        var result = GeneratorHarness.Run(Client);

        var diagnostic = Single(result, "CND1001");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("<AdditionalFiles Include=\"api.json\" />", diagnostic.GetMessage());
        Assert.EndsWith("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void A_class_that_is_not_partial_is_reported()
    {
        var result = GeneratorHarness.Run("using Conduit; [OpenApiClient(\"api.json\")] public class ApiClient { }", ("api.json", "{}"));

        Assert.Contains("must be declared 'partial'", Single(result, "CND1008").GetMessage());
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void Syntax_error_is_reported_at_its_line_and_column_without_code()
    {
        var result = GeneratorHarness.Run(Client, ("api.json", "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": { \"/a\": [1, 2 }\n}"));

        var diagnostic = Single(result, "CND1002");
        Assert.Equal((3, 26), Position(diagnostic));
        Assert.EndsWith("api.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("[]", "root is not an object")]
    [InlineData("{\"info\": {}}", "neither an 'openapi' nor a 'swagger' field")]
    [InlineData("{\"openapi\": \"4.0.0\"}", "'4.0.0' is not supported")]
    [InlineData("{\"openapi\": \"2.0\"}", "\"swagger\": \"2.0\"")]
    public void Documents_that_are_not_OpenAPI_are_refused_with_a_reason(string text, string reason)
    {
        var result = GeneratorHarness.Run(Client, ("api.json", text));

        Assert.Contains(reason, Single(result, "CND1004").GetMessage());
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void Invalid_policy_extension_is_an_error_at_the_offending_value()
    {
        const string Document = """
            {
              "openapi": "3.1.0",
              "info": { "title": "T", "version": "1" },
              "x-rate-limit": [ { "group": "g", "window": 3, "soft": 20, "hard": 10 } ],
              "paths": { "/a": { "get": { "operationId": "a", "responses": { "204": { "description": "ok" } } } } }
            }
            """;
        var result = GeneratorHarness.Run(Client, ("api.json", Document));

        var diagnostic = Single(result, "CND1007");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal((4, 21), Position(diagnostic));
        Assert.Contains("'hard' an integer no less than 'soft'", diagnostic.GetMessage());
    }

    [Fact]
    public void A_multipart_body_where_the_document_forbids_multipart_is_an_error_at_its_media_type()
    {
        const string Document = """
            {
              "openapi": "3.0.3",
              "info": { "title": "T", "version": "1" },
              "x-multipart": false,
              "paths": { "/upload": { "post": { "operationId": "upload", "requestBody": { "content": {
                "application/json": { "schema": { "type": "object" } },
                "multipart/form-data": { "schema": { "type": "object" } } } },
                "responses": { "204": { "description": "ok" } } } } }
            }
            """;
        var result = GeneratorHarness.Run(Client, ("api.json", Document));

        var diagnostic = Single(result, "CND1007");
        Assert.Equal((7, 28), Position(diagnostic));
        Assert.Contains("'upload' declares a multipart/form-data request body, but x-multipart is false", diagnostic.GetMessage());
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
    }

    [Theory]
    [InlineData("[\"multipart/form-data\"]", true)]
    [InlineData("[\"application/x-www-form-urlencoded\"]", false)]
    public void A_swagger_2_form_sent_as_multipart_where_the_document_forbids_it_is_an_error(string consumes, bool reported)
    {
        var document = $$"""
            { "swagger": "2.0", "info": { "title": "T", "version": "1" }, "x-multipart": false,
              "paths": { "/upload": { "post": { "operationId": "upload", "consumes": {{consumes}},
                "parameters": [ { "name": "url", "in": "formData", "type": "string" } ],
                "responses": { "204": { "description": "ok" } } } } } }
            """;
        var result = GeneratorHarness.Run(Client, ("api.json", document));

        Assert.Equal(reported, result.GeneratorDiagnostics.Any(d => d.Id == "CND1007"));
    }

    [Fact]
    public void Problems_in_a_referenced_document_are_reported_in_that_document()
    {
        const string Document = """
            { "openapi": "3.0.0", "info": { "title": "T", "version": "1" },
              "paths": { "/a": { "get": { "operationId": "a", "responses": { "200": { "description": "ok",
                "content": { "application/json": { "schema": { "$ref": "models.json#/Thing" } } } } } } } } }
            """;
        var result = GeneratorHarness.Run(Client, ("api.json", Document), ("models.json", "{ \"Thing\": { \"type\": \"object\", \"properties\": { \"a\": { \"type\": \"string\" }, } } }"));

        var diagnostic = Single(result, "CND1003");
        Assert.EndsWith("models.json", diagnostic.Location.GetLineSpan().Path);
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
    }

    [Fact]
    public void Unresolvable_reference_says_what_happens_to_the_value()
    {
        const string Document = """
            { "openapi": "3.0.0", "info": { "title": "T", "version": "1" },
              "paths": { "/a": { "get": { "operationId": "a", "parameters": [ { "$ref": "#/components/parameters/missing" } ],
                "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Gone" } } } } } } } } }
            """;
        var result = GeneratorHarness.Run(Client, ("api.json", Document));

        var messages = result.GeneratorDiagnostics.Where(d => d.Id == "CND1005").Select(d => d.GetMessage()).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains("the parameter is left out"));
        Assert.Contains(messages, m => m.Contains("typed as JsonElement"));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
    }
}

/// <summary>Names that collide only in case, or with the generator's own files, still give one file each.</summary>
public sealed class FileNameTests
{
    [Fact]
    public void Names_differing_only_in_case_and_tags_named_like_generated_files_generate_cleanly()
    {
        const string Document = """
            openapi: 3.0.0
            info: { title: T, version: "1" }
            paths:
              /a:
                get:
                  operationId: a
                  tags: [Dependency Injection]
                  responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/FooBar" } } } } }
              /b:
                get:
                  operationId: b
                  tags: [PeTs]
                  responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Foobar" } } } } }
              /c:
                get:
                  operationId: c
                  tags: [pets]
                  responses: { "204": { description: ok } }
            components:
              schemas:
                FooBar: { type: object, properties: { a: { type: string } } }
                Foobar: { type: object, properties: { b: { type: string } } }
            """;
        var result = GeneratorHarness.Run("using Conduit; namespace App; [OpenApiClient(\"api.yaml\")] public partial class ApiClient;", ("api.yaml", Document));

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var hints = result.Sources.Select(s => s.HintName).ToList();
        Assert.Equal(hints.Count, hints.Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("App.ApiClient.Operations.DependencyInjection.g.cs", hints);
        Assert.Contains("App.ApiClient.DependencyInjection.g.cs", hints);
        Assert.NotNull(result.Output.GetTypeByMetadataName("App.ApiModels.FooBar"));
        Assert.NotNull(result.Output.GetTypeByMetadataName("App.ApiModels.Foobar2"));
    }
}

/// <summary>Models placed in the client's own namespace do not take the client's names.</summary>
public sealed class ModelsNamespaceTests
{
    [Fact]
    public void Models_in_the_client_namespace_do_not_collide_with_the_client()
    {
        const string Document = """
            { "openapi": "3.0.0", "info": { "title": "T", "version": "1" },
              "paths": { "/a": { "get": { "operationId": "a", "responses": { "200": { "description": "ok",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ApiClient" } } } } } } } },
              "components": { "schemas": {
                "ApiClient": { "type": "object", "properties": { "iApiClient": { "$ref": "#/components/schemas/IApiClient" } } },
                "IApiClient": { "type": "object", "properties": { "b": { "type": "string" } } } } } }
            """;
        var result = GeneratorHarness.Run("using Conduit; namespace App; [OpenApiClient(\"api.json\", ModelsNamespace = \"App\")] public partial class ApiClient;", ("api.json", Document));

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.NotNull(result.Output.GetTypeByMetadataName("App.ApiClient2"));
        Assert.NotNull(result.Output.GetTypeByMetadataName("App.IApiClient2"));
    }
}
