using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Conduit.Generators.Tests.Infrastructure;
using Conduit.Http;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// Operations marked x-job return a job handle that follows the job through its status operation;
/// every x-job error of docs/openapi-extensions.md is CND1007 at the value in the document, and the
/// operation is then generated as a plain one.
/// </summary>
public sealed class JobGenerationTests
{
    /// <summary>startRender's x-job is {0}; the GET and DELETE operations are candidates for its status operation.</summary>
    private const string Jobs = """
        openapi: 3.0.3
        info: { title: Jobs, version: "1" }
        servers: [ { url: "https://jobs.example.com" } ]
        paths:
          /renders:
            post:
              operationId: startRender
              x-job: {0}
              responses:
                "202": { description: accepted, content: { application/json: { schema: { $ref: "#/components/schemas/Accepted" } } } }
          /jobs:
            get:
              operationId: listJobs
              responses: { "200": { description: jobs, content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/JobStatus" } } } } } }
          /jobs/{id}:
            parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
            get:
              operationId: getJob
              parameters: [ { name: verbose, in: query, schema: { type: boolean } } ]
              responses: { "200": { description: status, content: { application/json: { schema: { $ref: "#/components/schemas/JobStatus" } } } } }
            delete:
              operationId: cancelJob
              responses: { "204": { description: cancelled } }
          /jobs/{id}/steps/{step}:
            get:
              operationId: getStep
              parameters:
                - { name: id, in: path, required: true, schema: { type: string } }
                - { name: step, in: path, required: true, schema: { type: integer } }
              responses: { "200": { description: step, content: { application/json: { schema: { $ref: "#/components/schemas/JobStatus" } } } } }
          /audited/{id}:
            get:
              operationId: getAudited
              parameters:
                - { name: id, in: path, required: true, schema: { type: string } }
                - { name: reason, in: query, required: true, schema: { type: string } }
              responses: { "200": { description: status, content: { application/json: { schema: { $ref: "#/components/schemas/JobStatus" } } } } }
          /text/{id}:
            get:
              operationId: getJobText
              parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
              responses: { "200": { description: status, content: { text/plain: { schema: { type: string } } } } }
          /empty/{id}:
            get:
              operationId: getJobEmpty
              parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
              responses: { "204": { description: no body } }
        components:
          schemas:
            Accepted: { type: object, properties: { id: { type: string }, statusUrl: { type: string } } }
            JobStatus: { type: object, required: [status], properties: { status: { type: string } } }
        """;

    private const string Client = "using Conduit; namespace App; [OpenApiClient(\"jobs.yaml\")] public partial class JobsClient;";

    private static readonly string Photoshop = GeneratorHarness.ReadFile("openapi/photoshop.json");

    [Fact]
    public void Every_x_job_operation_of_the_Photoshop_document_returns_a_job_of_its_status_operations_answer()
    {
        var result = GeneratorHarness.Run(PhotoshopClient, ("openapi/photoshop.json", Photoshop));

        Assert.True(result.GeneratorDiagnostics.IsEmpty, result.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var returns = ReturnTypes(result, "MyApp.PhotoshopClient");
        var statusTypes = new Dictionary<string, string>
        {
            ["getJobStatus"] = "global::MyApp.PhotoshopModels.JobStatus",
            ["getRemoveBackgroundStatus"] = "global::MyApp.PhotoshopModels.JobStatus",
            ["getPsdServiceJobStatus"] = "global::MyApp.PhotoshopModels.PsdServiceJobStatus",
        };
        var jobs = XJobs(Photoshop);
        Assert.Equal(18, jobs.Count);
        foreach (var (operationId, statusOperation) in jobs)
        {
            Assert.Equal($"global::System.Threading.Tasks.Task<global::Conduit.Jobs.ApiJob<{statusTypes[statusOperation]}>>", returns[MethodName(operationId)]);
        }

        foreach (var (statusOperation, statusType) in statusTypes)
        {
            Assert.Equal($"global::System.Threading.Tasks.Task<{statusType}>", returns[MethodName(statusOperation)]);
        }

        Assert.Equal(21, returns.Count);
    }

    [Fact]
    public void The_Photoshop_job_definitions_name_their_status_operation_its_parameter_shape_and_pointers()
    {
        var result = GeneratorHarness.Run(PhotoshopClient, ("openapi/photoshop.json", Photoshop));
        var client = new GeneratedClient(result, "MyApp.PhotoshopClient");

        var jobs = client.Assembly.GetType("MyApp.PhotoshopClient+Operations+Jobs", throwOnError: true)!
            .GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(f => f.GetValue(null)!)
            .ToList();

        Assert.Equal(
            new[]
            {
                "getJobStatus jobId V2 /jobId /statusUrl",
                "getPsdServiceJobStatus jobId V1 - /_links/self/href",
                "getRemoveBackgroundStatus jobId V2 /jobId /statusUrl",
            },
            jobs.Select(job => string.Join(" ", StatusOperation(job).OperationId, Read(job, "StatusParameter"), Read(job, "Shape"), Read(job, "JobIdPointer") ?? "-", Read(job, "StatusUrlPointer") ?? "-")).Order());
        Assert.Same(client.Operation("GetJobStatus"), jobs.Select(StatusOperation).Single(o => o.OperationId == "getJobStatus"));
        Assert.Same(client.Operation("GetPsdServiceJobStatus"), jobs.Select(StatusOperation).Single(o => o.OperationId == "getPsdServiceJobStatus"));
    }

    [Fact]
    public void A_valid_x_job_makes_the_operation_a_job()
    {
        var result = GeneratorHarness.Run(Client, ("jobs.yaml", Document("{ statusOperation: getJob, jobId: /id, shape: v2 }")));

        Assert.True(result.GeneratorDiagnostics.IsEmpty, result.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal("global::System.Threading.Tasks.Task<global::Conduit.Jobs.ApiJob<global::App.JobsModels.JobStatus>>", ReturnTypes(result, "App.JobsClient")["StartRenderAsync"]);
    }

    [Theory]
    [InlineData("{|CND1007:getJob|}", "it must be an object with 'statusOperation', 'shape', and 'jobId' or 'statusUrl'")]
    [InlineData("{|CND1007:[getJob, v2]|}", "it must be an object")]
    [InlineData("{|CND1007:{ shape: v2, jobId: /id }|}", "'statusOperation' is missing; name the operationId of the GET operation that reads the job's status")]
    [InlineData("{ statusOperation: {|CND1007:getJobs|}, shape: v2, jobId: /id }", "no operation has the operationId 'getJobs'")]
    [InlineData("{ statusOperation: {|CND1007:cancelJob|}, shape: v2, jobId: /id }", "'cancelJob' is a DELETE; a job's status is read with a GET")]
    [InlineData("{ statusOperation: {|CND1007:listJobs|}, shape: v2, jobId: /id }", "'listJobs' has 0 path parameters; a status operation has exactly one, which receives the job id")]
    [InlineData("{ statusOperation: {|CND1007:getStep|}, shape: v2, jobId: /id }", "'getStep' has 2 path parameters; a status operation has exactly one")]
    [InlineData("{ statusOperation: {|CND1007:getAudited|}, shape: v2, jobId: /id }", "'getAudited' requires parameters besides the job id (reason), which a job cannot supply when it polls")]
    [InlineData("{ statusOperation: {|CND1007:getJobText|}, shape: v2, jobId: /id }", "'getJobText' has no JSON success answer to read the job's status from")]
    [InlineData("{ statusOperation: {|CND1007:getJobEmpty|}, shape: v2, jobId: /id }", "'getJobEmpty' has no JSON success answer")]
    [InlineData("{|CND1007:{ statusOperation: getJob, jobId: /id }|}", "'shape' must be \"v2\" (a single status) or \"v1\" (a status per output)")]
    [InlineData("{ statusOperation: getJob, shape: {|CND1007:v3|}, jobId: /id }", "'shape' must be \"v2\" (a single status) or \"v1\" (a status per output)")]
    [InlineData("{ statusOperation: getJob, shape: v2, jobId: {|CND1007:id|} }", "'jobId' must be a JSON Pointer, such as \"/jobId\"")]
    [InlineData("{ statusOperation: getJob, shape: v2, jobId: {|CND1007:7|} }", "'jobId' must be a JSON Pointer")]
    [InlineData("{ statusOperation: getJob, shape: v2, statusUrl: {|CND1007:_links/self|} }", "'statusUrl' must be a JSON Pointer")]
    [InlineData("{ statusOperation: getJob, shape: v2, jobId: {|CND1007:\"/a~2b\"|} }", "'jobId' must be a JSON Pointer")]
    [InlineData("{ statusOperation: getJob, shape: v2, jobId: {|CND1007:\"/id~\"|} }", "'jobId' must be a JSON Pointer")]
    [InlineData("{|CND1007:{ statusOperation: getJob, shape: v2 }|}", "give 'jobId' or 'statusUrl': a JSON Pointer to where the accepted answer names the job")]
    [InlineData("{ statusOperation: {|CND1007:42|}, shape: v2, jobId: /id }", "'statusOperation' must be the operationId of the GET operation that reads the job's status")]
    public void An_invalid_x_job_is_CND1007_at_its_value_and_the_operation_stays_plain(string job, string message)
    {
        var document = Markup.Parse(Document(job));

        var result = GeneratorHarness.Run(Client, ("jobs.yaml", document.Text));

        Markup.AssertReported(result, ("jobs.yaml", document));
        Assert.Equal("The 'x-job' extension is invalid: " + message, result.GeneratorDiagnostics.Single().GetMessage()[..("The 'x-job' extension is invalid: " + message).Length]);
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal("global::System.Threading.Tasks.Task<global::App.JobsModels.Accepted>", ReturnTypes(result, "App.JobsClient")["StartRenderAsync"]);
    }

    [Theory]
    [InlineData("\"202\": { description: accepted }")]
    [InlineData("\"202\": { description: accepted, content: { text/plain: { schema: { type: string } } } }")]
    public void A_starting_operation_without_a_JSON_accepted_answer_is_CND1007(string accepted)
    {
        var document = Markup.Parse(Document("{|CND1007:{ statusOperation: getJob, jobId: /id, shape: v2 }|}").Replace(
            "\"202\": { description: accepted, content: { application/json: { schema: { $ref: \"#/components/schemas/Accepted\" } } } }",
            accepted));

        var result = GeneratorHarness.Run(Client, ("jobs.yaml", document.Text));

        Markup.AssertReported(result, ("jobs.yaml", document));
        Assert.Contains("'startRender' has neither a 202 answer nor a single 2xx answer with a JSON body in which to find the job", result.GeneratorDiagnostics.Single().GetMessage());
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.DoesNotContain("ApiJob", ReturnTypes(result, "App.JobsClient")["StartRenderAsync"]);
    }

    [Fact]
    public void A_starting_operation_whose_202_is_JSON_is_a_job_even_beside_another_success()
    {
        // The pointers point into the 202 answer; a 200 without JSON beside it does not matter.
        var document = Document("{ statusOperation: getJob, jobId: /id, shape: v2 }").Replace(
            "\"202\": {",
            "\"200\": { description: done at once, content: { text/plain: { schema: { type: string } } } }\n        \"202\": {");

        var result = GeneratorHarness.Run(Client, ("jobs.yaml", document));

        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "CND1007");
        Assert.Contains("ApiJob", ReturnTypes(result, "App.JobsClient")["StartRenderAsync"]);
    }

    [Fact]
    public void A_starting_operation_without_a_202_and_with_two_JSON_successes_is_CND1007()
    {
        // Without a 202, the pointers point into the only 2xx answer: with two, there is no telling which.
        var document = Markup.Parse(Document("{|CND1007:{ statusOperation: getJob, jobId: /id, shape: v2 }|}").Replace(
            "\"202\": {",
            "\"200\": { description: done at once, content: { application/json: { schema: { $ref: \"#/components/schemas/JobStatus\" } } } }\n        \"201\": {"));

        var result = GeneratorHarness.Run(Client, ("jobs.yaml", document.Text));

        Assert.Contains(
            result.GeneratorDiagnostics,
            d => d.Id == "CND1007" && d.Location.SourceSpan == document.Expected.Single().Span);
        Assert.DoesNotContain("ApiJob", ReturnTypes(result, "App.JobsClient")["StartRenderAsync"]);
    }

    [Fact]
    public void An_invalid_x_job_in_the_Photoshop_document_is_reported_at_its_line_and_column()
    {
        const string Valid = "\"statusOperation\": \"getPsdServiceJobStatus\"";
        var at = Photoshop.IndexOf(Valid, System.StringComparison.Ordinal);
        var document = Markup.Parse(Photoshop[..at] + "\"statusOperation\": {|CND1007:\"getPsdServiceStatus\"|}" + Photoshop[(at + Valid.Length)..]);

        var result = GeneratorHarness.Run(PhotoshopClient, ("openapi/photoshop.json", document.Text));

        Markup.AssertReported(result, ("openapi/photoshop.json", document));
        Assert.Equal("The 'x-job' extension is invalid: no operation has the operationId 'getPsdServiceStatus'", result.GeneratorDiagnostics.Single().GetMessage());
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var returns = ReturnTypes(result, "MyApp.PhotoshopClient");
        Assert.Equal("global::System.Threading.Tasks.Task<global::MyApp.PhotoshopModels.PsdServiceJobAccepted>", returns["PsdServiceDocumentManifestAsync"]);
        Assert.Contains("ApiJob", returns["PsdServiceDocumentCreateAsync"]);
    }

    private const string PhotoshopClient = """
        using Conduit;

        namespace MyApp;

        [OpenApiClient("openapi/photoshop.json")]
        public partial class PhotoshopClient;
        """;

    private static string Document(string job) => Jobs.Replace("{0}", job);

    /// <summary>Each method of the generated client, by name, with its fully qualified return type.</summary>
    private static Dictionary<string, string> ReturnTypes(GenerationResult result, string client)
        => result.Output.GetTypeByMetadataName(client)!.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.Name.EndsWith("Async", System.StringComparison.Ordinal))
            .ToDictionary(m => m.Name, m => m.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

    /// <summary>The operations of a JSON document that have an x-job, with its statusOperation.</summary>
    private static List<(string OperationId, string StatusOperation)> XJobs(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(operation => operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("x-job", out _))
            .Select(operation => (operation.Value.GetProperty("operationId").GetString()!, operation.Value.GetProperty("x-job").GetProperty("statusOperation").GetString()!))
            .ToList();
    }

    private static string MethodName(string operationId) => char.ToUpperInvariant(operationId[0]) + operationId[1..] + "Async";

    /// <summary>A member of a <c>JobDefinition&lt;TStatus&gt;</c>, whatever its status type.</summary>
    private static object? Read(object job, string property) => job.GetType().GetProperty(property)!.GetValue(job);

    private static OperationInfo StatusOperation(object job) => (OperationInfo)Read(job, "StatusOperation")!;
}
