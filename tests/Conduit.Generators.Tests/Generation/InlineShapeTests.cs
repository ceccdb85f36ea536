using System.Linq;
using Conduit.Generators.Tests.Infrastructure;

namespace Conduit.Generators.Tests.Generation;

/// <summary>Inline schemas with the same shape share one type; named schemas always keep their own.</summary>
public sealed class InlineShapeTests
{
    private const string Document = """
        openapi: 3.0.0
        info: { title: T, version: "1" }
        paths:
          /a:
            get:
              operationId: listA
              responses:
                "200": { description: ok, content: { application/json: { schema: { type: object, properties: { total: { type: integer }, state: { type: string, enum: [open, closed] } } } } } }
          /b:
            get:
              operationId: listB
              responses:
                "200": { description: ok, content: { application/json: { schema: { type: object, properties: { total: { type: integer }, state: { type: string, enum: [open, closed] } } } } } }
          /c:
            get:
              operationId: listC
              responses:
                "200": { description: ok, content: { application/json: { schema: { type: object, properties: { total: { type: integer }, other: { type: string } } } } } }
          /d:
            get:
              operationId: getOne
              responses:
                "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/One" } } } }
          /e:
            get:
              operationId: getTwo
              responses:
                "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Two" } } } }
        components:
          schemas:
            One: { type: object, properties: { x: { type: string } } }
            Two: { type: object, properties: { x: { type: string } } }
        """;

    [Fact]
    public void Identical_inline_schemas_share_a_type_and_named_ones_do_not()
    {
        var result = GeneratorHarness.Run("using Conduit; namespace App; [OpenApiClient(\"api.yaml\")] public partial class ApiClient;", ("api.yaml", Document));

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var models = result.Output.GetSymbolsWithName(_ => true, Microsoft.CodeAnalysis.SymbolFilter.Type)
            .OfType<Microsoft.CodeAnalysis.INamedTypeSymbol>()
            .Where(t => t.ContainingNamespace.ToDisplayString() == "App.ApiModels" && t.ContainingType is null && !t.Name.EndsWith("JsonContext"))
            .Select(t => t.Name).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "ListAResponse", "ListAResponseState", "ListCResponse", "One", "Two" }, models);
        var client = result.Output.GetTypeByMetadataName("App.ApiClient")!;
        var returns = client.GetMembers().OfType<Microsoft.CodeAnalysis.IMethodSymbol>().ToDictionary(m => m.Name, m => m.ReturnType.ToDisplayString());
        Assert.Equal(returns["ListAAsync"], returns["ListBAsync"]);
    }
}
