using System.Collections.Generic;
using System.Linq;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// Generated code carries the service's rules as attributes (<c>[OperationRules]</c> on operation methods,
/// <c>[FileInput]</c> on request properties), read here from symbols, as analyzers read them.
/// </summary>
public sealed class RuleAttributeTests
{
    private const string PhotoshopSource = """
        using Conduit;

        namespace MyApp;

        [OpenApiClient("openapi/photoshop.json")]
        [RetryPolicy(MaxRetries = 1)]
        public partial class PhotoshopClient;
        """;

    private const string Uploads = """
        openapi: 3.1.0
        info: { title: Uploads, version: "1" }
        servers: [ { url: "https://uploads.example.test" } ]
        paths:
          /batches:
            post:
              operationId: startBatch
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        files: { type: array, items: { type: string, format: uri }, x-file-input: true }
                        note: { type: string }
              responses:
                "204": { description: started }
              x-retry: { statuses: ["5XX"], maxRetries: 2 }
          /ping:
            get:
              operationId: ping
              responses:
                "204": { description: alive }
        """;

    private static readonly string Photoshop = GeneratorHarness.ReadFile("openapi/photoshop.json");

    [Fact]
    public void Every_operation_method_with_rules_carries_the_document_s_rules_not_the_attributes_overrides()
    {
        var result = GeneratorHarness.Run(PhotoshopSource, ("openapi/photoshop.json", Photoshop));

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        foreach (var type in new[] { "MyApp.IPhotoshopClient", "MyApp.PhotoshopClient" })
        {
            var rules = Rules(result, type, "RemoveBackgroundAsync");
            Assert.Equal("removeBackground", rules.ConstructorArguments.Single().Value);
            Assert.Equal([500, 502, 503, 504], Named(rules, "RetryStatuses").Values.Select(v => (int)v.Value!));
            Assert.Equal(3, Named(rules, "MaxRetries").Value);
            Assert.Equal(false, Named(rules, "MultipartAllowed").Value);
            Assert.Equal(1, Named(rules, "MaxFileInputs").Value);
            Assert.Equal(true, Named(rules, "StartsJob").Value);

            var status = Rules(result, type, "GetJobStatusAsync");
            Assert.DoesNotContain(status.NamedArguments, a => a.Key is "StartsJob" or "MaxFileInputs");
        }
    }

    [Fact]
    public void Request_properties_that_carry_input_files_are_marked_with_their_bound()
    {
        var result = GeneratorHarness.Run(PhotoshopSource, ("openapi/photoshop.json", Photoshop));

        Assert.Equal(1, Named(FileInput(result, "MyApp.PhotoshopModels.RemoveBackgroundRequest", "Image"), "MaxItems").Value);
        Assert.Equal(1, Named(FileInput(result, "MyApp.PhotoshopModels.PsdServiceRequest", "Inputs"), "MaxItems").Value);
        Assert.Null(FileInputOrNull(result, "MyApp.PhotoshopModels.PsdServiceRequest", "Outputs"));
    }

    [Fact]
    public void An_unbounded_file_list_is_marked_without_a_bound_a_status_class_is_kept_and_an_operation_without_rules_carries_nothing()
    {
        var result = GeneratorHarness.Run(Source("UploadsClient", "uploads.yaml"), ("uploads.yaml", Uploads));

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var mark = FileInput(result, "App.UploadsModels.StartBatchRequest", "Files");
        Assert.Empty(mark.NamedArguments);
        var classesOnly = Rules(result, "App.IUploadsClient", "StartBatchAsync");
        Assert.Empty(Named(classesOnly, "RetryStatuses").Values);
        Assert.Equal([5], Named(classesOnly, "RetryStatusClasses").Values.Select(v => (int)v.Value!));
        Assert.Null(RulesOrNull(result, "App.IUploadsClient", "PingAsync"));
    }

    [Theory]
    [InlineData("files: { type: array, items: { type: string }, x-file-input: {|CND1007:yes|} }", "it must be true or false")]
    [InlineData("files: { type: integer, x-file-input: {|CND1007:true|} }", "a marked property must be an object that locates a file, a URL string, or an array of them")]
    [InlineData("files: { type: array, items: { type: string }, maxItems: 0, x-file-input: {|CND1007:true|} }", "a marked array needs 'maxItems' of at least 1 and no less than 'minItems'")]
    [InlineData("files: { type: array, items: { type: string }, minItems: 3, maxItems: 2, x-file-input: {|CND1007:true|} }", "a marked array needs 'maxItems' of at least 1 and no less than 'minItems'")]
    public void An_invalid_file_input_mark_is_CND1007_at_its_value(string property, string problem)
    {
        var document = Markup.Parse(Uploads.Replace("files: { type: array, items: { type: string, format: uri }, x-file-input: true }", property, System.StringComparison.Ordinal));

        var result = GeneratorHarness.Run(Source("UploadsClient", "uploads.yaml"), ("uploads.yaml", document.Text));

        Markup.AssertReported(result, ("uploads.yaml", document));
        Assert.Equal("The 'x-file-input' extension is invalid: " + problem, result.GeneratorDiagnostics.Single().GetMessage());
    }

    private static string Source(string className, string document) => $$"""
        using Conduit;

        namespace App;

        [OpenApiClient("{{document}}")]
        public partial class {{className}};
        """;

    private static AttributeData Rules(GenerationResult result, string type, string method)
        => RulesOrNull(result, type, method) ?? throw new Xunit.Sdk.XunitException($"{type}.{method} has no [OperationRules].");

    private static AttributeData? RulesOrNull(GenerationResult result, string type, string method)
        => Member(result, type, method).GetAttributes().SingleOrDefault(a => a.AttributeClass?.ToDisplayString() == "Conduit.Policies.OperationRulesAttribute");

    private static AttributeData FileInput(GenerationResult result, string type, string property)
        => FileInputOrNull(result, type, property) ?? throw new Xunit.Sdk.XunitException($"{type}.{property} has no [FileInput].");

    private static AttributeData? FileInputOrNull(GenerationResult result, string type, string property)
        => Member(result, type, property).GetAttributes().SingleOrDefault(a => a.AttributeClass?.ToDisplayString() == "Conduit.Policies.FileInputAttribute");

    private static ISymbol Member(GenerationResult result, string type, string member)
    {
        var symbol = result.Output.GetTypeByMetadataName(type) ?? throw new Xunit.Sdk.XunitException($"No type {type} was generated.");
        return symbol.GetMembers(member).Single();
    }

    private static TypedConstant Named(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value;
            }
        }

        throw new Xunit.Sdk.XunitException($"[{attribute.AttributeClass?.Name}] does not set {name}.");
    }
}
