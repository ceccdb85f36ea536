using System.Linq;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// Our edge-case documents (tests/.../Corpus): each generates a client that compiles with no warning on
/// C# 12 / .NET 8, with one method per operation and the diagnostics its quirks deserve.
/// </summary>
public sealed class CorpusTests
{
    private static GenerationResult Generate(string className, string document, params string[] extraDocuments)
    {
        var documents = new[] { document }.Concat(extraDocuments)
            .Select(d => ("Corpus/" + d, GeneratorHarness.ReadFile("Corpus/" + d)))
            .ToArray();
        return GeneratorHarness.Run(
            $"using Conduit; namespace Corpus; [OpenApiClient(\"Corpus/{document}\")] public partial class {className};",
            documents);
    }

    private static string[] Methods(GenerationResult result, string className)
        => result.Output.GetTypeByMetadataName("Corpus." + className)!.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.Name.EndsWith("Async")).Select(m => m.Name).OrderBy(n => n).ToArray();

    [Fact]
    public void Features_document_compiles_with_every_operation()
    {
        var result = Generate("FeaturesClient", "features.yaml");

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal(
            new[] { "DeleteItemAsync", "DownloadFileAsync", "GetItemAsync", "GetLabelAsync", "ReplaceItemAsync", "SubmitFormAsync", "UploadFileAsync" },
            Methods(result, "FeaturesClient"));

        // The only diagnostic: OpenAPI says an 'Accept' header parameter is ignored, and we say so where it is written.
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("CND2002", diagnostic.Id);
        Assert.Equal(28, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void Hostile_names_become_valid_distinct_identifiers()
    {
        var result = Generate("FeaturesClient", "features.yaml");
        var item = result.Output.GetTypeByMetadataName("Corpus.FeaturesModels.Item")!;
        var properties = item.GetMembers().OfType<IPropertySymbol>().Select(p => p.Name).ToList();

        Assert.Contains("Class", properties);
        Assert.Contains("_1st", properties);
        Assert.Contains("AB", properties);
        Assert.Contains("AB2", properties);
        Assert.Contains("Plus1", properties);
        Assert.Contains("Minus1", properties);
        Assert.Contains("Type", properties);
        Assert.Contains("Item2", properties);
        Assert.Contains("AdditionalProperties", properties);
        Assert.Equal(properties.Count, properties.Distinct().Count());
    }

    [Fact]
    public void Adobe_style_document_gets_a_working_client_with_warnings_where_approximated()
    {
        var result = Generate("AdobeStyleClient", "adobe-style.json", "schemas/thing.schema.json");

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal(new[] { "CreateThingAsync", "GetJob2Async", "GetJobAsync" }, Methods(result, "AdobeStyleClient"));

        var ids = result.GeneratorDiagnostics.Select(d => d.Id).ToList();
        Assert.Contains("CND1003", ids); // raw line break inside a string literal
        Assert.Contains("CND2002", ids); // Authorization declared as a header parameter
        Assert.Contains("CND2003", ids); // two operations named getJob
        Assert.Contains("CND1005", ids); // remote draft-07 meta-schema reference
        Assert.Contains("CND2001", ids); // if/then/else approximated
        Assert.All(result.GeneratorDiagnostics, d => Assert.EndsWith(".json", d.Location.GetLineSpan().Path));

        // The external draft-07 schema file became a model, conditional members included as optional.
        var thing = result.Output.GetTypeByMetadataName("Corpus.AdobeStyleModels.Thing")!;
        Assert.Equal(
            new[] { "Bucket", "Container", "Href", "Storage" },
            thing.GetMembers().OfType<IPropertySymbol>().Select(p => p.Name).OrderBy(n => n).ToArray());
    }

    [Fact]
    public void Swagger2_document_compiles_with_every_operation()
    {
        var result = Generate("PetsClient", "petstore-swagger2.json");

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal(new[] { "CreatePetAsync", "ListPetsAsync", "UploadPhotoAsync" }, Methods(result, "PetsClient"));
        Assert.Contains("\"https://pets.example.test/v1\"", result.Source("PetsClient.g.cs"));
        Assert.Equal("CND2004", Assert.Single(result.GeneratorDiagnostics).Id); // formData taken as HttpContent
    }

    [Fact]
    public void Network_path_server_is_a_host_not_a_route_prefix()
    {
        // APIs.guru's Kubernetes document names its server "//kubernetes.local": a host without a scheme.
        var result = Generate("ClusterClient", "network-path-server.json");

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var client = result.Source("ClusterClient.g.cs");
        Assert.Contains("\"https://cluster.example.test/base\"", client);
        Assert.Contains("\"GET\", \"/api/v1/namespaces/{namespace}/configmaps\"", client);
        Assert.DoesNotContain("//cluster.example.test/base/api", client);
    }

    [Fact]
    public void Server_relative_to_the_document_is_neither_a_server_nor_a_route_prefix()
    {
        // APIs.guru's brainbi.net document names its server ",": a reference relative to wherever the document is served.
        var result = Generate("ShopClient", "document-relative-server.json");

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var client = result.Source("ShopClient.g.cs");
        Assert.Contains("\"DELETE\", \"/api/orders/1137\"", client);
        Assert.DoesNotContain("\",/api", client);
        Assert.Contains("new global::Conduit.Http.ApiConnection(httpClient, null,", client);

        // The user is told, at the URL (line 4, column 25), why the client has no default server.
        var warning = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(("CND2006", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        var start = warning.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((4, 25), (start.Line + 1, start.Character + 1));
        Assert.Contains("The server URL ',' is relative to where the document is served", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("HttpClient.BaseAddress", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Path_and_operation_servers_relative_to_the_document_are_reported_where_they_are_written()
    {
        var result = Generate("ShopClient", "document-relative-server-levels.json");

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var lines = result.GeneratorDiagnostics.Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1)).Order().ToList();
        Assert.Equal(new[] { ("CND2006", 7), ("CND2006", 10) }, lines);

        // A path and an absolute URL are used as before, without a warning.
        var client = result.Source("ShopClient.g.cs");
        Assert.Contains("\"https://shop.example.test\"", client);
        Assert.Contains("\"/base/api/carts\"", client);
    }
}
