using System.Linq;
using System.Reflection;
using Conduit.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Conduit.Generators.Tests.Generation;

/// <summary>
/// OpenAPI 3.1 <c>webhooks</c>: each JSON payload becomes a model like any other, and the client gets a
/// descriptor per webhook (<c>Client.Webhooks.X</c>, a <c>WebhookInfo&lt;TEvent&gt;</c>) that reads typed events.
/// </summary>
public sealed class WebhookGenerationTests
{
    private const string Client = "using Conduit; namespace App; [OpenApiClient(\"hooks.yaml\")] public partial class HooksClient;";

    /// <summary>A document with one operation and the webhooks given in {1}, at OpenAPI version {0}.</summary>
    private const string Hooks = """
        openapi: {0}
        info: { title: Hooks, version: "1" }
        paths:
          /things:
            get:
              operationId: listThings
              responses: { "200": { description: things, content: { application/json: { schema: { type: array, items: { type: string } } } } } }
        webhooks:
        {1}
        components:
          schemas:
            ThingCreated: { type: object, required: [id], properties: { id: { type: string }, size: { type: integer } } }
          pathItems:
            Deleted: { post: { summary: A thing was deleted., requestBody: { content: { application/json: { schema: { type: object, properties: { id: { type: string } } } } } } } }
        """;

    private const string TwoWebhooks = """
          thing-created:
            post:
              summary: A thing was created.
              description: Sent once per thing.
              requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/ThingCreated" } } } }
              responses: { "200": { description: received } }
          thing-deleted: { $ref: "#/components/pathItems/Deleted" }
        """;

    private const string PhotoshopClient = """
        using Conduit;

        namespace MyApp;

        [OpenApiClient("openapi/photoshop.json")]
        public partial class PhotoshopClient;
        """;

    [Fact]
    public void The_Photoshop_job_status_webhook_reads_an_I_O_Events_delivery_as_its_typed_payload()
    {
        // A receiver's code: the descriptor reads the raw body, no reflection.
        const string Receiver = PhotoshopClient + """

            public static class Receiver
            {
                public static object Read(string body) => PhotoshopClient.Webhooks.PhotoshopJobStatus.Read(System.Text.Encoding.UTF8.GetBytes(body));
            }
            """;
        var result = GeneratorHarness.Run(Receiver, ("openapi/photoshop.json", GeneratorHarness.ReadFile("openapi/photoshop.json")));
        Assert.True(result.GeneratorDiagnostics.IsEmpty, result.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var assembly = GeneratedClient.Load(result);

        var webhook = assembly.GetType("MyApp.PhotoshopClient+Webhooks", throwOnError: true)!.GetField("PhotoshopJobStatus")!.GetValue(null)!;
        Assert.Equal("Conduit.Http.WebhookInfo`1[MyApp.PhotoshopModels.PhotoshopJobStatusEvent]", webhook.GetType().ToString());
        Assert.Equal("photoshop-job-status", Get(webhook, "Name"));

        var payload = """
            {"event_id":"e-1","recipient_client_id":"client-1","event":{"header":{"msgType":"JOB_COMPLETION_STATUS","msgId":"m-1","imsOrgId":"ORG@AdobeOrg","eventCode":"photoshop-job-status","_adobeio":{"providerMetadata":"x"}},
             "body":{"jobId":"urn:ff:jobs:1","outputs":[{"input":"https://in.example/a.jpg","status":"succeeded","_links":{"renditions":[{"href":"https://out.example/a.png","storage":"external","type":"image/png"}]}}],"_links":{"self":{"href":"https://image.adobe.io/pie/psdService/status/urn:ff:jobs:1"}}}}}
            """;
        var read = assembly.GetType("MyApp.Receiver", throwOnError: true)!.GetMethod("Read")!.Invoke(null, [payload])!;
        Assert.Equal("e-1", Get(read, "EventId"));
        Assert.Equal("client-1", Get(read, "RecipientClientId"));
        var content = Get(read, "Event")!;
        Assert.Equal("photoshop-job-status", Get(Get(content, "Header")!, "EventCode"));
        Assert.Equal("urn:ff:jobs:1", Get(Get(content, "Body")!, "JobId"));
        Assert.Equal("MyApp.PhotoshopModels.PsdServiceJobStatus", Get(content, "Body")!.GetType().FullName);
    }

    [Fact]
    public void Each_webhook_s_payload_is_a_model_and_the_client_describes_each_webhook()
    {
        var result = GeneratorHarness.Run(Client, ("hooks.yaml", Document("3.1.0", TwoWebhooks)));

        Assert.True(result.GeneratorDiagnostics.IsEmpty, result.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        var webhooks = result.Output.GetTypeByMetadataName("App.HooksClient+Webhooks")!;
        Assert.Equal(
            new[]
            {
                "ThingCreated global::Conduit.Http.WebhookInfo<global::App.HooksModels.ThingCreated>",
                "ThingDeleted global::Conduit.Http.WebhookInfo<global::App.HooksModels.ThingDeletedEvent>",
            },
            webhooks.GetMembers().OfType<IFieldSymbol>().Select(f => f.Name + " " + f.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));
        var core = result.Source("App.HooksClient.g.cs");
        Assert.Contains("/// <summary>A thing was created.</summary>\n        /// <remarks>Sent once per thing.</remarks>\n        public static readonly global::Conduit.Http.WebhookInfo<__M.ThingCreated> ThingCreated = new(\"thing-created\", __M.ThingCreated.JsonConverter.Instance);", core);
        Assert.Contains("ThingDeleted = new(\"thing-deleted\", __M.ThingDeletedEvent.JsonConverter.Instance);", core);
    }

    [Fact]
    public void A_3_0_document_s_webhooks_member_is_ignored()
    {
        var result = GeneratorHarness.Run(Client, ("hooks.yaml", Document("3.0.3", TwoWebhooks)));

        Assert.True(result.GeneratorDiagnostics.IsEmpty, result.Describe(result.GeneratorDiagnostics));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Null(result.Output.GetTypeByMetadataName("App.HooksClient+Webhooks"));
        Assert.Null(result.Output.GetTypeByMetadataName("App.HooksModels.ThingCreated"));
        Assert.DoesNotContain("Webhook", result.Source("App.HooksClient.g.cs"));
    }

    [Theory]
    [InlineData("  text-only:\n    post: {|CND2004:{ requestBody: { content: { text/plain: { schema: { type: string } } } } }|}")]
    [InlineData("  no-body:\n    post: {|CND2004:{ summary: A ping. }|}")]
    [InlineData("  no-schema:\n    post: {|CND2004:{ requestBody: { content: { application/json: {} } } }|}")]
    [InlineData("  no-operation: {|CND2004:{ summary: Nothing to send. }|}")]
    public void A_webhook_without_a_JSON_body_is_CND2004_and_left_out(string webhook)
    {
        var document = Markup.Parse(Document("3.1.0", webhook + "\n" + TwoWebhooks));

        var result = GeneratorHarness.Run(Client, ("hooks.yaml", document.Text));

        Markup.AssertReported(result, ("hooks.yaml", document));
        Assert.Contains("has no JSON request body; it is not generated.", result.GeneratorDiagnostics.Single().GetMessage());
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal(2, result.Output.GetTypeByMetadataName("App.HooksClient+Webhooks")!.GetMembers().OfType<IFieldSymbol>().Count());
    }

    [Fact]
    public void Webhooks_that_is_not_an_object_is_CND1006()
    {
        var document = Markup.Parse(Document("3.1.0", "  {|CND1006:[ thing-created ]|}"));

        var result = GeneratorHarness.Run(Client, ("hooks.yaml", document.Text));

        Markup.AssertReported(result, ("hooks.yaml", document));
        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Null(result.Output.GetTypeByMetadataName("App.HooksClient+Webhooks"));
    }

    [Fact]
    public void Webhook_names_that_meet_are_told_apart()
    {
        var body = "{ requestBody: { content: { application/json: { schema: { $ref: \"#/components/schemas/ThingCreated\" } } } } }";
        var result = GeneratorHarness.Run(Client, ("hooks.yaml", Document("3.1.0", $"  to-string:\n    post: {body}\n  thing_created:\n    post: {body}\n  thing-created:\n    post: {body}")));

        Assert.True(result.CompileProblems.IsEmpty, result.Describe(result.CompileProblems));
        Assert.Equal(
            ["ThingCreated", "ThingCreated2", "ToString2"],
            result.Output.GetTypeByMetadataName("App.HooksClient+Webhooks")!.GetMembers().OfType<IFieldSymbol>().Select(f => f.Name).Order());
    }

    private static string Document(string version, string webhooks) => Hooks.Replace("{0}", version).Replace("{1}", webhooks);

    private static object? Get(object owner, string property) => owner.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.GetValue(owner);
}
